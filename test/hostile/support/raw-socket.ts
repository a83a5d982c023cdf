import WebSocket from "ws";

/** A WebSocket message: text or binary. */
export type Frame = string | Buffer;

export interface Closed {
  code: number;
  reason: string;
}

export interface OpenOptions {
  /** Extra request headers, e.g. `Origin`. */
  headers?: Record<string, string>;
  /** Upgrade this Engine.IO session (opened by polling) instead of starting one. */
  sid?: string;
}

/** The Engine.IO endpoint of a service, for one transport. */
export function engineUrl(base: string, transport: "polling" | "websocket", sid?: string): string {
  const url = new URL("/socket.io/", base);
  url.search = new URLSearchParams({ EIO: "4", transport, ...(sid ? { sid } : {}) }).toString();
  if (transport === "websocket") url.protocol = "ws:";
  return url.toString();
}

/**
 * A hand-driven Engine.IO v4 / Socket.IO v5 client over `ws`, as Socket.IO's
 * own protocol tests drive the server: it sends exactly the frames it is
 * given, and records every frame it gets. It answers the server's pings, so
 * a connection idles only when a test wants it to.
 */
export class RawSocket {
  readonly frames: Frame[] = [];
  /** Resolves when the connection ends, however it ends. */
  readonly closed: Promise<Closed>;
  private readonly listeners = new Set<() => void>();
  private end: Closed | undefined;
  /** Ack ids of `call` and `ask`: from 1000 on, clear of the small ids tests write by hand. */
  private ackIds = 1000;

  private constructor(private readonly ws: WebSocket) {
    this.closed = new Promise((resolve) =>
      ws.once("close", (code, reason) => {
        this.end = { code, reason: reason.toString() };
        this.notify();
        resolve(this.end);
      }),
    );
    ws.on("error", () => {});
    ws.on("message", (data: Buffer, isBinary) => {
      const frame = isBinary ? data : data.toString();
      if (frame === "2") ws.send("3");
      this.frames.push(frame);
      this.notify();
    });
  }

  /**
   * Opens a WebSocket session and resolves after its Engine.IO open packet;
   * with `sid`, upgrades that session and resolves once the upgrade is accepted.
   */
  static async open(base: string, options: OpenOptions = {}): Promise<RawSocket> {
    const ws = new WebSocket(engineUrl(base, "websocket", options.sid), {
      headers: options.headers ?? {},
    });
    const socket = new RawSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once("error", reject);
    });
    if (!options.sid) await socket.next((frame) => frame.startsWith("0{"));
    return socket;
  }

  get open(): boolean {
    return this.end === undefined && this.ws.readyState === WebSocket.OPEN;
  }

  send(...frames: Array<Frame | Uint8Array>): void {
    for (const frame of frames) {
      if (this.ws.readyState === WebSocket.OPEN) this.ws.send(frame);
    }
  }

  /** Sends bytes in a text frame, unchecked (for invalid UTF-8). */
  sendText(bytes: Buffer): void {
    this.ws.send(bytes, { binary: false });
  }

  /**
   * The first frame received (from `from` on) that passes `accept`; rejects
   * if the connection ends first or after `ms`.
   */
  next(accept: (frame: string) => boolean, ms = 5000, from = 0): Promise<string> {
    return new Promise((resolve, reject) => {
      let scanned = from;
      const check = () => {
        let found: string | undefined;
        while (found === undefined && scanned < this.frames.length) {
          const frame = this.frames[scanned++];
          if (typeof frame === "string" && accept(frame)) found = frame;
        }
        if (found !== undefined || this.end) {
          this.listeners.delete(check);
          clearTimeout(timer);
          if (found !== undefined) resolve(found);
          else reject(new Error(`closed (${this.end!.code}) before the expected frame`));
        }
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`no expected frame within ${ms} ms; got ${this.describe()}`));
      }, ms);
      this.listeners.add(check);
      check();
    });
  }

  /** How the connection ended; rejects if it is still open after `ms`. */
  async ended(ms = 5000): Promise<Closed> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still open after ${ms} ms`)), ms);
    });
    try {
      return await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Sends CONNECT for `nsp` with `auth` (a string is sent verbatim) and
   * resolves with the server's answer (`40...` or `44...`).
   */
  async connect(nsp: string, auth?: object | string): Promise<string> {
    const from = this.frames.length;
    this.send(`40${nsp},${authText(auth)}`);
    return this.next((f) => f.startsWith(`40${nsp},`) || f.startsWith(`44${nsp},`), 5000, from);
  }

  /** Emits `event` with an ack id and resolves with the ack's arguments. */
  call(nsp: string, event: string, payload: unknown): Promise<unknown[]> {
    return this.ask(nsp, JSON.stringify([event, payload]));
  }

  /**
   * Sends an event frame whose data is `json` verbatim (well-formed or not)
   * with the next ack id, and resolves with the ack's arguments.
   */
  async ask(nsp: string, json: string): Promise<unknown[]> {
    const id = this.ackIds++;
    const from = this.frames.length;
    this.send(`42${nsp},${id}${json}`);
    return this.ackOf(nsp, id, from);
  }

  /** The arguments of the ack `id` for `nsp`, received from frame `from` on. */
  async ackOf(nsp: string, id: number, from = 0): Promise<unknown[]> {
    const prefix = `43${nsp},${id}[`;
    const frame = await this.next((f) => f.startsWith(prefix), 5000, from);
    return JSON.parse(frame.slice(prefix.length - 1)) as unknown[];
  }

  /** Stops reading: what the server sends piles up, as for a client on a stalled network. */
  pause(): void {
    this.ws.pause();
  }

  close(): void {
    this.ws.terminate();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private describe(): string {
    return JSON.stringify(this.frames.slice(-3).map((f) => String(f).slice(0, 120)));
  }
}

/** The CONNECT packet's auth part: JSON, or a string verbatim. */
export function authText(auth: object | string | undefined): string {
  if (auth === undefined) return "";
  return typeof auth === "string" ? auth : JSON.stringify(auth);
}

/**
 * The status a WebSocket handshake is answered with: 101 when it opens,
 * otherwise the HTTP status of the refusal.
 */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once("open", () => {
      ws.terminate();
      resolve(101);
    });
    ws.once("unexpected-response", (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.once("error", reject);
  });
}
