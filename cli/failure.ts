import { MatchdayError } from "../client/index.js";
import { EXIT, EXIT_FOR_ERROR, type ExitCode } from "./exit-codes.js";

/** A failure found by the command line itself, with the exit code it ends with. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    /** A contract error code, or `unreachable`, `bad_arguments`, `internal`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What a command ends with: its exit code, and the one line that says why. */
export interface Failure {
  exitCode: ExitCode;
  code: string;
  message: string;
}

export function toFailure(err: unknown): Failure {
  if (err instanceof CliError)
    return { exitCode: err.exitCode, code: err.code, message: err.message };
  if (err instanceof MatchdayError) {
    return { exitCode: EXIT_FOR_ERROR[err.code], code: err.code, message: err.message };
  }
  // A bug: the stack is what its report needs.
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return { exitCode: EXIT.internal, code: "internal", message };
}

export const badArguments = (message: string) => new CliError(EXIT.usage, "bad_arguments", message);
