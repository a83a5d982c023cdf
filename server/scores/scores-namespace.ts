import type {
  Limits,
  Match,
  MatchUpdate,
  SubscribeRequest,
  UnsubscribeRequest,
} from "../../contract/index.js";
import { AppError } from "../errors.js";
import type { EventHandler, Reply } from "../realtime/event-router.js";
import { keyedRooms, roomOf } from "../realtime/rooms.js";
import { publishRequest, subscribeRequest, unsubscribeRequest } from "./schemas.js";
import type { ScoresService } from "./scores-service.js";

/** The `/scores` client-to-server events. */
export function scoresHandlers(
  scores: ScoresService,
  limits: Limits,
): Map<string, EventHandler<any>> {
  const relay = scores.relay.relay;

  const subscribe: EventHandler<SubscribeRequest> = {
    schema: subscribeRequest,
    async run({ ids, versions }, socket): Promise<Reply> {
      const unique = [...new Set(ids)];
      // Checked again at join time: this socket's other subscribes in flight
      // may have joined rooms since, and each passed its check before they did.
      const freshWithinLimit = () => {
        const fresh = unique.filter((id) => !socket.rooms.has(roomOf(id)));
        const followed = keyedRooms(socket.rooms);
        if (followed + fresh.length > limits.matchesPerSocket) {
          throw new AppError(
            "bad_request",
            `a socket follows at most ${limits.matchesPerSocket} matches (${followed} now)`,
          );
        }
        return fresh;
      };
      freshWithinLimit();
      const stored = new Map((await scores.getMany(unique)).map((m) => [m.id, m]));
      return () => {
        if (!socket.connected) return { matches: [] };
        const fresh = freshWithinLimit();
        // Bring each room up to the stored state before this socket enters it,
        // so its members see the change and this socket sees it in the ack only.
        for (const id of unique) {
          const match = stored.get(id);
          relay.follow(id, match?.version ?? 0, match);
        }
        socket.join(fresh.map(roomOf));
        const held = (id: string) => (versions && Object.hasOwn(versions, id) ? versions[id]! : 0);
        const matches = fresh.flatMap((id) => {
          const match = relay.latest(id);
          return match && match.version > held(id) ? [match] : [];
        });
        return { matches };
      };
    },
  };

  const unsubscribe: EventHandler<UnsubscribeRequest> = {
    schema: unsubscribeRequest,
    async run({ ids }, socket) {
      for (const id of ids) socket.leave(roomOf(id));
      return {};
    },
  };

  const publish: EventHandler<MatchUpdate> = {
    schema: publishRequest,
    publisherOnly: true,
    async run(update) {
      const match: Match = await scores.publish(update);
      return { match };
    },
  };

  return new Map<string, EventHandler<any>>([
    ["subscribe", subscribe],
    ["unsubscribe", unsubscribe],
    ["publish", publish],
  ]);
}
