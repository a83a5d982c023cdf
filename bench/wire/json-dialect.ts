import { FrameKind, startsWith, type Dialect } from "./dialect.js";

/**
 * The bare `ws` baseline's framing: one JSON object per frame.
 * Client: `{"event":E,"ack":N,"data":{...}}`; server: `{"ack":N,"data":{...}}`
 * for acks and `{"event":E,"data":{...}}` for events.
 */
export function jsonDialect(trackedEvent: string): Dialect {
  const tracked = Buffer.from(`{"event":"${trackedEvent}",`);
  const ack = Buffer.from(`{"ack":`);
  return {
    path: "/",
    pong: "",
    connectFrame: () => undefined,
    emitFrame: (event, ackId, payload) => JSON.stringify({ event, ack: ackId, data: payload }),
    classify(frame) {
      if (startsWith(frame, tracked)) return FrameKind.Tracked;
      if (startsWith(frame, ack)) return FrameKind.Ack;
      return FrameKind.Other;
    },
    parseAck(frame) {
      const { ack: id, data } = JSON.parse(frame.toString()) as { ack: number; data: unknown };
      return { id, body: data };
    },
    refusal: () => "refused",
  };
}
