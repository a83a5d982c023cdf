import { createServer } from "node:http";
import { WebSocketServer, type WebSocket } from "ws";
import type { Match, MatchUpdate, SubscribeRequest } from "../../contract/index.js";
import { applyUpdate } from "../../contract/apply-update.js";
import { serve } from "./serve.js";

/**
 * Baseline and ceiling: a bare `ws` server with no protocol on top. A set of
 * subscribers per match; a publish serializes the match once and loops
 * `client.send` over the set. Frames are JSON (see the bench's json-dialect).
 */

type Frame =
  | { event: "subscribe"; ack: number; data: SubscribeRequest }
  | { event: "publish"; ack: number; data: MatchUpdate };

const httpServer = createServer();
const wss = new WebSocketServer({ server: httpServer });
const subscribers = new Map<string, Set<WebSocket>>();
const matches = new Map<string, Match>();

wss.on("connection", (socket) => {
  const followed = new Set<string>();
  socket.on("message", (raw) => {
    const frame = JSON.parse(String(raw)) as Frame;
    const reply = (data: object) => socket.send(JSON.stringify({ ack: frame.ack, data }));
    if (frame.event === "subscribe") {
      for (const id of frame.data.ids) {
        followed.add(id);
        let set = subscribers.get(id);
        if (!set) subscribers.set(id, (set = new Set()));
        set.add(socket);
      }
      reply({ ok: true, matches: frame.data.ids.flatMap((id) => matches.get(id) ?? []) });
    } else {
      const { match } = applyUpdate(matches.get(frame.data.id), frame.data, new Date());
      matches.set(match.id, match);
      const event = Buffer.from(JSON.stringify({ event: "match", data: match }));
      for (const subscriber of subscribers.get(match.id) ?? []) {
        subscriber.send(event, { binary: false });
      }
      reply({ ok: true, match });
    }
  });
  socket.on("close", () => {
    for (const id of followed) subscribers.get(id)?.delete(socket);
  });
});

serve(httpServer);
