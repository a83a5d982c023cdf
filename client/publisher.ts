import type { Match, MatchUpdate } from "../contract/index.js";
import type { Connection } from "./connection.js";
import { request } from "./request.js";

/**
 * The `publish` event, on a connection made with a publisher token, once
 * it is live (waiting for it up to the request timeout). Not
 * retried here: a publish whose answer was lost may have been applied, and
 * only the caller knows whether repeating it is safe (with `expectedVersion`
 * it always is).
 */
export async function publish(connection: Connection, update: MatchUpdate): Promise<Match> {
  const socket = connection.scores();
  await connection.ready();
  return (await request(socket, "publish", update)).match;
}
