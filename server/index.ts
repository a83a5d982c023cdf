import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createApp } from "./app.js";
import { connectBackend } from "./backends/connect-backend.js";
import { ConfigError, loadConfig } from "./config.js";
import { startingUp } from "./http/starting-up.js";
import { createLogger } from "./logger.js";

/** Past this, a drain that has not finished ends the process anyway, inside the contract's 30 s. */
const SHUTDOWN_LIMIT_MS = 28_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  // Last resort: a library promise nobody awaited must not end the process.
  process.on("unhandledRejection", (err) => logger.error({ err }, "unhandled rejection"));

  // Listening comes first, so that a wait for Redis shows as "alive, not
  // ready" rather than as a refused connection.
  const server = createServer(startingUp);
  await new Promise<void>((resolve, reject) => {
    // HOST and PORT are the operator's to fix: one sentence, not a stack.
    const failed = (err: NodeJS.ErrnoException) =>
      reject(
        new ConfigError(
          `cannot listen on ${config.host}:${config.port} (${err.code ?? err.message}); check HOST and PORT`,
        ),
      );
    server.once("error", failed);
    // A deep accept queue: when an instance dies, thousands of its viewers
    // reconnect here at once, and an overflow costs each a SYN retry (1 s, 3 s, ...).
    server.listen({ port: config.port, host: config.host, backlog: 4096 }, () => {
      server.off("error", failed);
      resolve();
    });
  });
  // Once listening, an error (an accept with no descriptor left, say) is
  // the connection's, not the process's.
  server.on("error", (err) => logger.error({ err }, "http server error"));
  const { port } = server.address() as AddressInfo;
  // A stop before the backend is up has nothing to drain.
  const early = () => process.exit(0);
  process.once("SIGTERM", early).once("SIGINT", early);

  const backend = await connectBackend(config, logger);
  const app = createApp(config, { backend, logger, server });
  process.off("SIGTERM", early).off("SIGINT", early);
  logger.info({ port, host: config.host, mode: backend.mode }, "listening");

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    setTimeout(() => {
      logger.error("shutdown took too long; exiting");
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    const windowMs = signal === "SIGTERM" ? config.drainWindowMs : 0;
    app.drain(windowMs).then(
      (clients) => {
        logger.info({ clients }, "stopped");
        process.exit(0);
      },
      (err) => {
        logger.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
  } else {
    console.error(err);
  }
  process.exit(1);
});
