import WebSocket from "ws";
import { FrameKind, type Dialect } from "./dialect.js";

/** Longer than any ack the contract allows (5 s): a missing answer is a failure, not a wait. */
const ACK_TIMEOUT_MS = 10_000;
/** socket.io-client's default connection `timeout`. */
const CONNECT_TIMEOUT_MS = 20_000;

export interface ConnectionHandlers {
  /** A frame carrying the tracked event, untouched (the caller reads what it needs). */
  onTracked(frame: Buffer): void;
  /** The socket closed, whether we closed it or not. */
  onClose(): void;
}

/** The WebSocket URL of a server under test on this machine, in `dialect`. */
export const socketUrl = (port: number, dialect: Dialect) =>
  `ws://127.0.0.1:${port}${dialect.path}`;

interface PendingAck {
  resolve(body: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * One client session on a raw `ws` socket, in any {@link Dialect}: the
 * handshake, pings, emits with acks, and tracked events handed over as bytes.
 * It stands in for a socket.io-client at a fraction of the cost.
 */
export class Connection {
  /** Resolves when the namespace (or plain socket) is ready for emits. */
  readonly ready: Promise<void>;
  private readonly ws: WebSocket;
  private readonly acks = new Map<number, PendingAck>();
  private nextAckId = 1;

  constructor(
    port: number,
    private readonly dialect: Dialect,
    auth: object | undefined,
    handlers: Partial<ConnectionHandlers> = {},
  ) {
    this.ws = new WebSocket(socketUrl(port, dialect), {
      perMessageDeflate: false,
      skipUTF8Validation: true,
      handshakeTimeout: CONNECT_TIMEOUT_MS,
    });
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error("connect timed out")), CONNECT_TIMEOUT_MS);
      const fail = (err: Error) => {
        clearTimeout(timer);
        reject(err);
        this.close();
      };
      const ready = () => {
        clearTimeout(timer);
        resolve();
      };
      this.ws.on("open", () => {
        if (dialect.connectFrame(auth) === undefined) ready();
      });
      this.ws.on("message", (data: Buffer) => {
        switch (dialect.classify(data)) {
          case FrameKind.Tracked:
            return handlers.onTracked?.(data);
          case FrameKind.Ping:
            return this.ws.send(dialect.pong);
          case FrameKind.Ack:
            return this.settle(data);
          case FrameKind.SessionOpen:
            return this.ws.send(dialect.connectFrame(auth)!);
          case FrameKind.Connected:
            return ready();
          case FrameKind.Refused:
            return fail(new Error(`handshake refused: ${dialect.refusal(data)}`));
          case FrameKind.Other:
            return;
        }
      });
      this.ws.on("error", (err) => fail(err));
      this.ws.on("close", () => {
        fail(new Error("closed before connecting"));
        for (const pending of this.acks.values()) {
          clearTimeout(pending.timer);
          pending.reject(new Error("closed before the ack"));
        }
        this.acks.clear();
        handlers.onClose?.();
      });
    });
    // A failed connect is reported through `ready`; this keeps it from being unhandled meanwhile.
    this.ready.catch(() => {});
  }

  /**
   * Emits `event` and resolves with the ack's argument. `onAck`, if given,
   * runs as the ack frame is read, before any frame after it: a promise
   * continuation would run only after the rest of the TCP chunk, events the
   * server sent after the ack included.
   */
  emit(event: string, payload: object, onAck?: (body: unknown) => void): Promise<unknown> {
    const id = this.nextAckId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.acks.delete(id);
        reject(new Error(`no ack to ${event} within ${ACK_TIMEOUT_MS} ms`));
      }, ACK_TIMEOUT_MS);
      const settle = (body: unknown) => {
        try {
          onAck?.(body);
          resolve(body);
        } catch (err) {
          reject(err);
        }
      };
      this.acks.set(id, { resolve: settle, reject, timer });
      this.ws.send(this.dialect.emitFrame(event, id, payload));
    });
  }

  /** Drops the TCP connection at once, as a lost network or a closed tab would. */
  close(): void {
    this.ws.terminate();
  }

  private settle(frame: Buffer): void {
    const { id, body } = this.dialect.parseAck(frame);
    const pending = this.acks.get(id);
    if (!pending) return;
    this.acks.delete(id);
    clearTimeout(pending.timer);
    pending.resolve(body);
  }
}
