/** What one incoming WebSocket frame is, as far as a load-generator connection cares. */
export const enum FrameKind {
  /** Engine.IO `0{...}`: the session is open; the namespace connect frame goes next. */
  SessionOpen,
  /** The namespace (or the plain socket) is ready for events. */
  Connected,
  /** The namespace refused the handshake. */
  Refused,
  /** An acknowledgement of one of our emits. */
  Ack,
  /** The tracked server-to-client event (a match, a chat message). */
  Tracked,
  /** Engine.IO ping: answer with the dialect's pong. */
  Ping,
  /** Anything else (presence events, noops). */
  Other,
}

/** A serializable choice of dialect, so it can travel to load workers over IPC. */
export type DialectSpec = { kind: "socket.io"; namespace: string } | { kind: "json" };

/**
 * How one kind of server frames events on the wire. The load generator is
 * shared by every server under test; only this framing differs. Tracked
 * frames are classified from their first bytes, without parsing JSON, so the
 * generator stays cheaper per delivery than the servers it measures.
 */
export interface Dialect {
  /** WebSocket URL path and query. */
  readonly path: string;
  /** The frame answering a ping. */
  readonly pong: string;
  /** The frame to send when the session opens; undefined: ready as soon as the socket opens. */
  connectFrame(auth: object | undefined): string | undefined;
  emitFrame(event: string, ackId: number, payload: object): string;
  classify(frame: Buffer): FrameKind;
  /** The id and first argument of an ack frame. */
  parseAck(frame: Buffer): { id: number; body: unknown };
  /** Why a handshake was refused. */
  refusal(frame: Buffer): string;
}

/** Reads the unsigned integer that follows `field` (e.g. `"version":`) in a tracked frame. */
export function readNumberAfter(frame: Buffer, field: Buffer): number {
  let at = frame.indexOf(field);
  if (at < 0) return -1;
  at += field.length;
  let value = 0;
  for (let c = frame[at]; c >= 48 && c <= 57; c = frame[++at]!) value = value * 10 + (c - 48);
  return value;
}

/** Whether `frame` starts with `prefix`. */
export function startsWith(frame: Buffer, prefix: Buffer): boolean {
  return (
    frame.length >= prefix.length && frame.compare(prefix, 0, prefix.length, 0, prefix.length) === 0
  );
}
