import type {
  ApiError,
  Match,
  MatchId,
  MatchList,
  MatchUpdate,
  MessagePage,
  RoomName,
} from "../contract/index.js";
import { MatchdayError } from "./matchday-error.js";
import { REQUEST_TIMEOUT_MS } from "./request.js";

/** Calls the HTTP API at `baseUrl` (the service's origin); errors are `MatchdayError`s. */
async function call<T>(baseUrl: string, path: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(new URL(path, baseUrl), {
      ...init,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    throw new MatchdayError("unavailable", `${path}: ${(err as Error).message}`);
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok) return body as T;
  const error = (body as Partial<ApiError> | undefined)?.error;
  throw error
    ? MatchdayError.from(error)
    : new MatchdayError("unavailable", `${path}: HTTP ${response.status}`);
}

/** `GET /api/matches`. */
export async function fetchMatches(baseUrl: string): Promise<Match[]> {
  return (await call<MatchList>(baseUrl, "/api/matches")).matches;
}

/** `PUT /api/matches/:id`: the same operation as the `publish` event. */
export function putMatch(baseUrl: string, token: string, update: MatchUpdate): Promise<Match> {
  return call<Match>(baseUrl, `/api/matches/${encodeURIComponent(update.id)}`, {
    method: "PUT",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(update),
  });
}

/** `GET /api/rooms/:room/messages`. */
export function fetchMessages(
  baseUrl: string,
  room: RoomName,
  query: { since?: number; limit?: number } = {},
): Promise<MessagePage> {
  const params = new URLSearchParams();
  if (query.since !== undefined) params.set("since", String(query.since));
  if (query.limit !== undefined) params.set("limit", String(query.limit));
  const search = params.toString() ? `?${params}` : "";
  return call<MessagePage>(baseUrl, `/api/rooms/${encodeURIComponent(room)}/messages${search}`);
}

/** `GET /api/matches/:id`; undefined when the match does not exist. */
export async function fetchMatch(baseUrl: string, id: MatchId): Promise<Match | undefined> {
  try {
    return await call<Match>(baseUrl, `/api/matches/${encodeURIComponent(id)}`);
  } catch (err) {
    if (err instanceof MatchdayError && err.code === "not_found") return undefined;
    throw err;
  }
}
