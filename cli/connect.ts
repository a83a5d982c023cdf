import { Connection, MatchdayError } from "../client/index.js";
import { EXIT } from "./exit-codes.js";
import { CliError } from "./failure.js";

/** What a refused handshake means on the command line. */
const REFUSALS: Partial<Record<string, string>> = {
  unauthorized: "the server does not accept this token",
  bad_request: "the server refused the handshake: a --name has 1..32 characters",
};

/**
 * Waits until `connection` is live. Not live by `timeoutMs` is `unreachable`;
 * a refused handshake keeps the server's code.
 */
export async function whenLive(connection: Connection, timeoutMs: number): Promise<void> {
  try {
    await connection.ready(timeoutMs);
  } catch (err) {
    const { code, message } = err as MatchdayError;
    const { retrying, error } = connection.status;
    if (!retrying) throw new MatchdayError(code, REFUSALS[code] ?? message);
    const why = error ? ` (${error.message})` : "";
    throw new CliError(
      EXIT.unreachable,
      "unreachable",
      `cannot reach ${connection.url} within ${timeoutMs / 1000} s${why}`,
    );
  }
}

/** A connection with the publisher role and `/scores` open (so that `whenLive` has it to wait for). */
export function publisherConnection(url: string, token: string): Connection {
  const connection = new Connection(url, { token });
  connection.scores();
  return connection;
}
