import { Manager, type Socket } from "socket.io-client";
import {
  CHAT_NAMESPACE,
  ERROR_CODES,
  SCORES_NAMESPACE,
  type ChatClientToServerEvents,
  type ChatServerToClientEvents,
  type ErrorCode,
  type HandshakeAuth,
  type ScoresClientToServerEvents,
  type ScoresServerToClientEvents,
  type UserId,
} from "../contract/index.js";
import { worstOf, type ConnectionState, type ConnectionStatus } from "./connection-state.js";
import { MatchdayError } from "./matchday-error.js";
import { randomId } from "./random-id.js";
import { REQUEST_TIMEOUT_MS } from "./request.js";
import {
  applyTransportPolicy,
  INITIAL_TRANSPORTS,
  type TransportName,
} from "./transport-policy.js";

export type ScoresSocket = Socket<ScoresServerToClientEvents, ScoresClientToServerEvents>;
export type ChatSocket = Socket<ChatServerToClientEvents, ChatClientToServerEvents>;

export interface ConnectionOptions {
  /** A publisher or moderator token: grants the `publisher` or `moderator` role. */
  token?: string;
  /**
   * A signed identity from the embedding site, or a function answering a
   * fresh one, called at every (re)connection so a short-lived token is
   * renewed; a function that fails makes that handshake `unauthorized`.
   */
  jwt?: string | (() => string | Promise<string>);
  /** Chat display name, 1..32 characters; guests without one get `guest-XXXX`. */
  name?: string;
  /**
   * A stable anonymous identity (8..64 of `[A-Za-z0-9_-]`); keep one per
   * user (browsers: in localStorage). @default a random id per Connection,
   * so that chat retries after a reconnect keep their nonce's scope.
   */
  userId?: UserId;
  /** First reconnection delay. @default 1000 */
  reconnectionDelay?: number;
  /** Reconnection delays double up to this. @default 10000 */
  reconnectionDelayMax?: number;
  /** Each reconnection delay is randomly up to this fraction shorter or longer. @default 0.5 */
  randomizationFactor?: number;
  /** An attempt that has not connected by then fails (and is retried). @default 10000 */
  timeout?: number;
}

interface Member {
  namespace: string;
  state: ConnectionState;
  error?: MatchdayError;
  retrying: boolean;
}

/** Between leaving and re-entering `/chat` on a rename; too short for a person to notice. */
const RENAME_GAP_MS = 100;

const asErrorCode = (message: string): ErrorCode =>
  (ERROR_CODES as readonly string[]).includes(message) ? (message as ErrorCode) : "unavailable";

/** What a page on an origin the service does not allow (`CORS_ORIGINS`) learns. */
export const ORIGIN_REFUSED = "this site is not allowed to show live scores";

/**
 * The service answers a handshake from a browser origin it does not allow
 * with a 403 that the page may read, and engine.io-client's polling puts the
 * status in `description`. A WebSocket hides its status, but an attempt
 * that fails on WebSocket tries polling next (`tryAllTransports`).
 */
const originRefused = (err: Error) => (err as { description?: unknown }).description === 403;

/**
 * One connection to a matchday service: one socket.io-client Manager (one
 * WebSocket or polling session) carrying the `/scores` and `/chat`
 * namespaces, which reconnects by itself with exponential backoff and
 * jitter. Works in browsers and in Node.
 */
export class Connection {
  readonly manager: Manager;
  /** Sent at every handshake: a change applies from the next (re)connection. */
  readonly auth: HandshakeAuth & { userId: UserId };
  private readonly members = new Map<Socket, Member>();
  private readonly listeners = new Set<(status: ConnectionStatus) => void>();
  /** `/chat` sockets disconnected by {@link rename}, to connect again at once. */
  private readonly renaming = new Set<Socket>();
  private transport: TransportName | undefined;
  private closed = false;
  private readonly jwt: ConnectionOptions["jwt"];

  constructor(
    readonly url: string,
    options: ConnectionOptions = {},
  ) {
    const { token, name, userId = randomId(), jwt, ...timing } = options;
    this.jwt = jwt;
    this.auth = { userId, ...(token === undefined ? {} : { token }), ...(name ? { name } : {}) };
    this.manager = new Manager(url, {
      reconnectionDelay: 1000,
      reconnectionDelayMax: 10_000,
      randomizationFactor: 0.5,
      timeout: 10_000,
      ...timing,
      ...INITIAL_TRANSPORTS,
      // No credentials: balancers route a session by its id, not by a
      // cookie, which browsers withhold from embedded third-party widgets.
      withCredentials: false,
    });
    applyTransportPolicy(this.manager, (transport) => {
      this.transport = transport;
      this.notify();
    });
  }

  /** The `/scores` namespace socket; the same one on every call. */
  scores(): ScoresSocket {
    return this.open(SCORES_NAMESPACE);
  }

  /** The `/chat` namespace socket; the same one on every call. */
  chat(): ChatSocket {
    return this.open(CHAT_NAMESPACE);
  }

  get status(): ConnectionStatus {
    const members = [...this.members.values()];
    const state = members.length === 0 ? "connecting" : worstOf(members.map((m) => m.state));
    const failed = members.find((m) => m.error !== undefined);
    return {
      state,
      transport: this.transport,
      retrying: members.every((m) => m.retrying),
      ...(state === "offline" && failed ? { error: failed.error } : {}),
    };
  }

  /** Calls `listener` with the status now and on every change; returns the unsubscribe. */
  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.listeners.add(listener);
    listener(this.status);
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves once every namespace opened so far is live. Rejects with the
   * server's refusal (`unauthorized`, `bad_request`), or `unavailable` when
   * not live within `timeoutMs`; at once when no namespace is open yet
   * (open one with `scores()` or `chat()`, or a feed or chat on it, first).
   */
  ready(timeoutMs: number = REQUEST_TIMEOUT_MS): Promise<void> {
    if (this.members.size === 0) {
      return Promise.reject(new MatchdayError("bad_request", "no namespace is open to wait for"));
    }
    return new Promise((resolve, reject) => {
      const settle = (error?: MatchdayError) => {
        clearTimeout(timer);
        // onStatus may call back before it has returned the unsubscribe.
        queueMicrotask(() => unsubscribe());
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(
        () => settle(new MatchdayError("unavailable", `not connected within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const unsubscribe = this.onStatus(({ state, retrying, error }) => {
        if (state === "live") settle();
        else if (!retrying) settle(error ?? new MatchdayError("unavailable", "closed"));
      });
    });
  }

  /** Sets the chat display name; an open `/chat` reconnects at once so that it applies. */
  rename(name: string): void {
    this.auth.name = name;
    for (const [socket, { namespace }] of this.members) {
      if (namespace !== CHAT_NAMESPACE || !socket.active) continue;
      this.renaming.add(socket);
      socket.disconnect();
      // socket.io's server drops the whole connection ("invalid state") when a
      // namespace's CONNECT is read in the same tick as its DISCONNECT.
      setTimeout(() => this.closed || socket.connect(), RENAME_GAP_MS);
    }
  }

  /** Disconnects every namespace; nothing reconnects afterwards. */
  close(): void {
    this.closed = true;
    for (const socket of this.members.keys()) socket.disconnect();
  }

  private open<S extends Socket>(namespace: string): S {
    const socket = this.manager.socket(namespace, {
      auth: (send) => void this.handshakeAuth().then(send),
    });
    if (!this.members.has(socket)) this.track(socket, namespace);
    return socket as S;
  }

  private async handshakeAuth(): Promise<HandshakeAuth> {
    if (this.jwt === undefined) return { ...this.auth };
    // An empty jwt is refused as `unauthorized`: never a silent guest.
    const jwt =
      typeof this.jwt === "string"
        ? this.jwt
        : await Promise.resolve()
            .then(this.jwt)
            .catch(() => "");
    return { ...this.auth, jwt };
  }

  private track(socket: Socket, namespace: string): void {
    this.members.set(socket, { namespace, state: "connecting", retrying: true });
    socket.on("connect", () => this.update(socket, "live"));
    socket.on("disconnect", (reason) => {
      // A rename's own disconnect is a reconnection, never an end.
      if (this.renaming.delete(socket)) return this.update(socket, "reconnecting", undefined, true);
      if (socket.active) return this.update(socket, "reconnecting");
      // "io server disconnect": socket.io-client leaves it to the app to reconnect.
      const why = reason === "io client disconnect" ? "closed" : "the server ended the connection";
      this.update(socket, "offline", new MatchdayError("unavailable", why));
    });
    socket.on("connect_error", (err) => {
      if (originRefused(err)) return this.refuse(new MatchdayError("forbidden", ORIGIN_REFUSED));
      // Inactive after connect_error: a namespace middleware refused the handshake.
      const code = socket.active ? "unavailable" : asErrorCode(err.message);
      this.update(socket, "offline", new MatchdayError(code, err.message));
    });
  }

  /** Gives up for good: retrying cannot change the service's mind. */
  private refuse(error: MatchdayError): void {
    if (this.closed) return;
    this.close();
    for (const member of this.members.values()) {
      Object.assign(member, { state: "offline", retrying: false, error });
    }
    this.notify();
  }

  private update(
    socket: Socket,
    state: ConnectionState,
    error?: MatchdayError,
    retrying = socket.active,
  ): void {
    const member = this.members.get(socket)!;
    member.state = state;
    member.retrying = retrying;
    if (error) member.error = error;
    else delete member.error;
    this.notify();
  }

  private notify(): void {
    const status = this.status;
    for (const listener of this.listeners) listener(status);
  }
}
