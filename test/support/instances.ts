import type { AddressInfo } from "node:net";
import { createApp, type App } from "../../server/app.js";
import type { Backend } from "../../server/backends/backend.js";
import { connectBackend } from "../../server/backends/connect-backend.js";
import { loadConfig } from "../../server/config.js";
import { createLogger } from "../../server/logger.js";

export const PUBLISH_TOKEN = "test-publish-token";

export interface InstanceOptions {
  /** With a URL: the Redis backend; without (and no REDIS_CLUSTER_NODES in `env`): memory. */
  redisUrl?: string;
  /** Extra environment, as an operator would set it. */
  env?: Record<string, string>;
}

/** One service instance in this process, listening on 127.0.0.1 and a free port. */
export class Instance {
  private constructor(
    readonly app: App,
    readonly backend: Backend,
    readonly url: string,
  ) {}

  static async start(options: InstanceOptions = {}): Promise<Instance> {
    const config = loadConfig({
      PUBLISH_TOKENS: PUBLISH_TOKEN,
      REDIS_PREFIX: "test:",
      ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
      ...options.env,
    });
    const logger = createLogger(process.env.TEST_LOG_LEVEL ?? "silent");
    const backend = await connectBackend(config, logger);
    const app = createApp(config, { backend, logger });
    await new Promise<void>((resolve) => app.server.listen(0, "127.0.0.1", resolve));
    const { port } = app.server.address() as AddressInfo;
    return new Instance(app, backend, `http://127.0.0.1:${port}`);
  }

  /** `count` instances sharing one Redis. */
  static async cluster(redisUrl: string, count: number, env?: Record<string, string>) {
    return Promise.all(
      Array.from({ length: count }, () => Instance.start({ redisUrl, ...(env ? { env } : {}) })),
    );
  }

  close(): Promise<void> {
    return this.app.close();
  }
}

/** Limits far above what a drill sends: drills are about faults, not flood control. */
export const GENEROUS_LIMITS: Record<string, string> = {
  CHAT_MESSAGES_PER_SECOND: "1000",
  CHAT_MESSAGE_BURST: "1000",
  SOCKET_EVENTS_PER_SECOND: "1000",
  SOCKET_EVENT_BURST: "2000",
};
