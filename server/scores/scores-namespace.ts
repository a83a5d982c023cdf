import { AppError } from "../../contract/app-error.js";
import type { Limits, ScoresClientToServerEvents } from "../../contract/index.js";
import {
  publishRequest,
  subscribeAllRequest,
  subscribeRequest,
  unsubscribeAllRequest,
  unsubscribeRequest,
} from "../../contract/scores-schemas.js";
import type { HandlerTable } from "../realtime/event-router.js";
import type { ScoresServerSocket } from "../realtime/namespaces.js";
import { keyedRooms, roomOf } from "../realtime/rooms.js";
import { EveryMatchFollowers } from "./every-match.js";
import type { ScoresRelay } from "./scores-relay.js";
import type { ScoresService } from "./scores-service.js";

/**
 * The order key every event that changes what a socket follows shares (no
 * match id is "*"): they take effect one after another, so the 200-match
 * limit sees each one's outcome, while publishes to different matches still
 * run side by side.
 */
const FOLLOWING = "*";

/** The `/scores` client-to-server events. */
export function scoresHandlers(
  scores: ScoresService,
  relay: ScoresRelay,
  limits: Limits,
): HandlerTable<ScoresClientToServerEvents, ScoresServerSocket> {
  const every = new EveryMatchFollowers(scores, relay);
  return {
    subscribe: {
      schema: subscribeRequest,
      orderKeys: ({ ids }) => [FOLLOWING, ...ids],
      async run({ ids, versions }, socket) {
        // What this socket follows changes only by its own events, and those
        // wait for this one: `fresh` and the count hold until the ack.
        const fresh = [...new Set(ids)].filter((id) => !socket.rooms.has(roomOf(id)));
        const followed = keyedRooms(socket.rooms);
        if (followed + fresh.length > limits.matchesPerSocket) {
          throw new AppError(
            "bad_request",
            `a socket follows at most ${limits.matchesPerSocket} matches (${followed} now)`,
          );
        }
        const stored = new Map((await scores.getMany(fresh)).map((m) => [m.id, m]));
        return () => {
          if (!socket.connected) return { matches: [] };
          // Bring each room up to the stored state before this socket enters it,
          // so its members see the change and this socket sees it in the ack only.
          for (const id of fresh) {
            const match = stored.get(id);
            relay.follow(id, match?.version ?? 0, match);
          }
          // A socket that follows every match may hold some of these already.
          const unsent = fresh.filter((id) => !every.holds(socket, id));
          void socket.join(fresh.map(roomOf));
          const held = (id: string) => (versions && Object.hasOwn(versions, id) ? versions[id] : 0);
          const matches = unsent.flatMap((id) => {
            const match = relay.latest(id);
            return match && match.version > held(id) ? [match] : [];
          });
          for (const match of matches) every.sent(socket, match.id);
          return { matches };
        };
      },
    },

    unsubscribe: {
      schema: unsubscribeRequest,
      orderKeys: ({ ids }) => [FOLLOWING, ...ids],
      async run({ ids }, socket) {
        for (const id of ids) void socket.leave(roomOf(id));
        return {};
      },
    },

    subscribe_all: {
      schema: subscribeAllRequest,
      orderKeys: () => [FOLLOWING],
      run: ({ versions }, socket) => every.subscribe(socket, versions),
    },

    unsubscribe_all: {
      schema: unsubscribeAllRequest,
      orderKeys: () => [FOLLOWING],
      async run(_request, socket) {
        every.unsubscribe(socket);
        return {};
      },
    },

    publish: {
      schema: publishRequest,
      role: "publisher",
      orderKeys: ({ id }) => [id],
      async run(update) {
        return { match: await scores.publish(update) };
      },
    },
  };
}
