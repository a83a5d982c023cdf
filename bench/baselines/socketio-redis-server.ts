import { createServer } from "node:http";
import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";
import { Server } from "socket.io";
import type { Match, MatchUpdate, SubscribeRequest } from "../../contract/index.js";
import { applyUpdate } from "../../contract/apply-update.js";
import { serve } from "./serve.js";

/**
 * Baseline: what a user gets by following the Socket.IO docs. A default
 * `Server`, the Redis adapter on node-redis clients, a room per match and
 * `io.to(room).emit`. No validation, limits or recovery: the fan-out path alone.
 */

const pubClient = createClient({ url: process.env.REDIS_URL });
const subClient = pubClient.duplicate();
for (const client of [pubClient, subClient]) {
  client.on("error", (err: Error) => console.error(`redis: ${err.message}`));
}
await Promise.all([pubClient.connect(), subClient.connect()]);

const httpServer = createServer();
const io = new Server(httpServer, { adapter: createAdapter(pubClient, subClient) });
const scores = io.of("/scores");
const matches = new Map<string, Match>();

type Ack = (answer: object) => void;

scores.on("connection", (socket) => {
  socket.on("subscribe", ({ ids }: SubscribeRequest, ack: Ack) => {
    void socket.join(ids);
    ack({ ok: true, matches: ids.flatMap((id) => matches.get(id) ?? []) });
  });
  socket.on("publish", (update: MatchUpdate, ack: Ack) => {
    const { match } = applyUpdate(matches.get(update.id), update, new Date());
    matches.set(match.id, match);
    scores.to(match.id).emit("match", match);
    ack({ ok: true, match });
  });
});

serve(httpServer);
