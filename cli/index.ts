#!/usr/bin/env node
import { CommanderError } from "commander";
import { EXIT } from "./exit-codes.js";
import { toFailure } from "./failure.js";
import { Output } from "./output/output.js";
import { createProgram } from "./program.js";

// `matchday watch --json | head -1`: a reader that went away is no failure.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(EXIT.ok);
  throw err;
});

const program = createProgram();
let exitCode: number = EXIT.ok;
try {
  await program.parseAsync();
} catch (err) {
  if (err instanceof CommanderError) {
    // Commander has printed the message (or the help, with exit code 0).
    exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    const failure = toFailure(err);
    new Output(program.opts().json === true).fail(failure);
    exitCode = failure.exitCode;
  }
}
// Every connection is closed by now; exiting also ends socket.io-client's timers.
process.exit(exitCode);
