import { FrameKind, startsWith, type Dialect } from "./dialect.js";

/**
 * Engine.IO v4 / Socket.IO v5 over a bare WebSocket, written by hand:
 * `0{...}` opens the session, `40/ns,` connects the namespace, `42/ns,N[...]`
 * emits with ack id N, `43/ns,N[...]` acks, `2`/`3` ping and pong.
 */
export function socketIoDialect(namespace: string, trackedEvent: string): Dialect {
  const ns = `${namespace},`;
  const connected = Buffer.from(`40${ns}`);
  const refused = Buffer.from(`44${ns}`);
  const ack = Buffer.from(`43${ns}`);
  const tracked = Buffer.from(`42${ns}["${trackedEvent}",`);
  return {
    path: "/socket.io/?EIO=4&transport=websocket",
    pong: "3",
    connectFrame: (auth) => `40${ns}${auth ? JSON.stringify(auth) : ""}`,
    emitFrame: (event, ackId, payload) => `42${ns}${ackId}${JSON.stringify([event, payload])}`,
    classify(frame) {
      if (startsWith(frame, tracked)) return FrameKind.Tracked;
      if (frame.length === 1 && frame[0] === 0x32) return FrameKind.Ping;
      if (startsWith(frame, ack)) return FrameKind.Ack;
      if (startsWith(frame, connected)) return FrameKind.Connected;
      if (frame[0] === 0x30) return FrameKind.SessionOpen;
      if (startsWith(frame, refused)) return FrameKind.Refused;
      return FrameKind.Other;
    },
    parseAck(frame) {
      const text = frame.toString("utf8", ack.length);
      const open = text.indexOf("[");
      const [body] = JSON.parse(text.slice(open)) as [unknown];
      return { id: Number(text.slice(0, open)), body };
    },
    refusal(frame) {
      const { message } = JSON.parse(frame.toString("utf8", refused.length)) as {
        message?: string;
      };
      return message ?? "refused";
    },
  };
}
