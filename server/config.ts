import { createPublicKey, randomBytes } from "node:crypto";
import { z } from "zod";
import { DEFAULT_LIMITS, SOCKET_EVENTS_PER_SECOND_FLOOR, type Limits } from "../contract/index.js";
import { publicKeyAlgorithm, type JwtOptions } from "./auth/jwt-verifier.js";

/** Everything the service reads from its environment, parsed once. */
export interface Config {
  /** @default 3000; `0` picks a free port. */
  port: number;
  /** @default "0.0.0.0" */
  host: string;
  /** Unset (and no cluster): one instance with state in memory. */
  redisUrl: string | undefined;
  /** Seed nodes of a Redis Cluster, instead of `redisUrl`; empty: none. */
  redisClusterNodes: string[];
  /** Replicas that must hold each change before it is acknowledged. @default 0 */
  redisWaitReplicas: number;
  /** Prefix of every Redis key and channel. @default "matchday:" */
  redisPrefix: string;
  /**
   * Prefix of every Engine.IO session id this instance issues, so a load
   * balancer routes a session by its `sid` alone. @default random per process
   */
  instanceId: string;
  /** Publisher tokens; empty: publishing is refused. */
  publishTokens: string[];
  /** Moderator tokens; a token in both lists grants both roles. */
  moderatorTokens: string[];
  /** How handshake `jwt`s and JWT bearers are verified; unset: every JWT is refused. */
  jwt: JwtOptions | undefined;
  /** `GUEST_CHAT`: whether sockets without a valid `jwt` may send. @default true */
  guestChat: boolean;
  /** Allowed browser origins besides the same origin. */
  corsOrigins: string[];
  /** pino level. @default "info" */
  logLevel: string;
  /** On SIGTERM, clients are disconnected in batches spread over this window. @default 10000 */
  drainWindowMs: number;
  limits: Limits;
}

/** Decimal digits only: `PORT=` or `PORT=1e3` is a mistake to report, not a number to guess. */
const digits = z
  .string()
  .regex(/^\d+$/, "must be a whole number in decimal digits")
  .transform(Number);

const integer = (min: number, fallback: number) =>
  digits.pipe(z.number().min(min)).default(fallback);

const list = z
  .string()
  .default("")
  .transform((value) =>
    value
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

const origin = z.string().refine((value) => {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}, "each origin must look like https://example.com (scheme, host and optional port, no path)");

/** A PEM public key jose can verify with; `\n` escapes are read as line breaks (one-line env files). */
const publicKeyPem = z
  .string()
  .transform((pem) => pem.replaceAll("\\n", "\n"))
  .refine((pem) => {
    try {
      return publicKeyAlgorithm(createPublicKey(pem)) !== undefined;
    } catch {
      return false;
    }
  }, "must be a PEM public key: RSA, P-256 EC or Ed25519");

const redisUrl = z.string().regex(/^rediss?:\/\//, "must start with redis:// or rediss://");

const schema = z.object({
  PORT: digits.pipe(z.number().max(65535)).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  REDIS_URL: redisUrl.optional(),
  REDIS_CLUSTER_NODES: list.pipe(z.array(redisUrl)),
  REDIS_WAIT_REPLICAS: integer(0, 0).pipe(z.number().max(16)),
  REDIS_PREFIX: z.string().default("matchday:"),
  INSTANCE_ID: z
    .string()
    .regex(/^[a-z0-9-]{1,32}$/, "must be 1 to 32 of a-z, 0-9 and -")
    .default(() => randomBytes(4).toString("hex")),
  PUBLISH_TOKENS: list,
  MODERATOR_TOKENS: list,
  JWT_SECRET: z.string().min(1, "must not be empty").optional(),
  JWT_PUBLIC_KEY: publicKeyPem.optional(),
  JWT_ISSUER: z.string().min(1, "must not be empty").optional(),
  JWT_AUDIENCE: z.string().min(1, "must not be empty").optional(),
  GUEST_CHAT: z.enum(["on", "off"], "must be on or off").default("on"),
  CORS_ORIGINS: list.pipe(z.array(origin)),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DRAIN_WINDOW_MS: integer(0, 10_000).pipe(z.number().max(25_000)),
  MAX_MESSAGE_BYTES: integer(1024, DEFAULT_LIMITS.maxMessageBytes),
  MAX_PAYLOAD_DEPTH: integer(2, DEFAULT_LIMITS.maxPayloadDepth),
  MAX_MATCHES_PER_SOCKET: integer(1, DEFAULT_LIMITS.matchesPerSocket),
  MAX_ROOMS_PER_SOCKET: integer(1, DEFAULT_LIMITS.roomsPerSocket),
  SOCKET_EVENTS_PER_SECOND: integer(
    SOCKET_EVENTS_PER_SECOND_FLOOR,
    DEFAULT_LIMITS.socketEventsPerSecond,
  ),
  SOCKET_EVENT_BURST: integer(1, DEFAULT_LIMITS.socketEventBurst),
  PUBLISHER_EVENTS_PER_SECOND: integer(
    SOCKET_EVENTS_PER_SECOND_FLOOR,
    DEFAULT_LIMITS.publisherEventsPerSecond,
  ),
  PUBLISHER_EVENT_BURST: integer(1, DEFAULT_LIMITS.publisherEventBurst),
  SOCKET_REFUSAL_GRACE_MS: integer(1, DEFAULT_LIMITS.socketRefusalGraceMs),
  SOCKET_REFUSAL_MAX: integer(1, DEFAULT_LIMITS.socketRefusalMax),
  CHAT_MESSAGES_PER_SECOND: integer(1, DEFAULT_LIMITS.chatMessagesPerSecond),
  CHAT_MESSAGE_BURST: integer(1, DEFAULT_LIMITS.chatMessageBurst),
  SLOW_SOCKET_MAX_BYTES: integer(65_536, DEFAULT_LIMITS.slowSocketBytes),
});

/** Thrown with one sentence naming the bad variable. */
export class ConfigError extends Error {}

/** Parses the environment; a bad variable fails fast with one clear sentence. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0]);
    throw new ConfigError(`Invalid ${name}=${JSON.stringify(env[name] ?? "")}: ${issue.message}.`);
  }
  const e = parsed.data;
  const clustered = e.REDIS_CLUSTER_NODES.length > 0;
  if (clustered && e.REDIS_URL !== undefined) {
    throw new ConfigError("Set REDIS_URL or REDIS_CLUSTER_NODES, not both.");
  }
  if (e.REDIS_WAIT_REPLICAS > 0 && !clustered && e.REDIS_URL === undefined) {
    throw new ConfigError("REDIS_WAIT_REPLICAS needs REDIS_URL or REDIS_CLUSTER_NODES.");
  }
  // Hash tags place each match's and room's keys in one slot; a brace in the
  // prefix would become the tag of every key.
  if (clustered && /[{}]/.test(e.REDIS_PREFIX)) {
    throw new ConfigError("REDIS_PREFIX must not contain { or } on a Redis Cluster.");
  }
  if (e.JWT_SECRET !== undefined && e.JWT_PUBLIC_KEY !== undefined) {
    throw new ConfigError("Set JWT_SECRET or JWT_PUBLIC_KEY, not both.");
  }
  const jwtKey: JwtOptions["key"] | undefined =
    e.JWT_SECRET !== undefined
      ? { kind: "secret", secret: e.JWT_SECRET }
      : e.JWT_PUBLIC_KEY !== undefined
        ? { kind: "public", pem: e.JWT_PUBLIC_KEY }
        : undefined;
  return {
    port: e.PORT,
    host: e.HOST,
    redisUrl: e.REDIS_URL,
    redisClusterNodes: e.REDIS_CLUSTER_NODES,
    redisWaitReplicas: e.REDIS_WAIT_REPLICAS,
    redisPrefix: e.REDIS_PREFIX,
    instanceId: e.INSTANCE_ID,
    publishTokens: e.PUBLISH_TOKENS,
    moderatorTokens: e.MODERATOR_TOKENS,
    jwt: jwtKey && { key: jwtKey, issuer: e.JWT_ISSUER, audience: e.JWT_AUDIENCE },
    guestChat: e.GUEST_CHAT === "on",
    corsOrigins: e.CORS_ORIGINS,
    logLevel: e.LOG_LEVEL,
    drainWindowMs: e.DRAIN_WINDOW_MS,
    limits: {
      ...DEFAULT_LIMITS,
      maxMessageBytes: e.MAX_MESSAGE_BYTES,
      maxPayloadDepth: e.MAX_PAYLOAD_DEPTH,
      matchesPerSocket: e.MAX_MATCHES_PER_SOCKET,
      roomsPerSocket: e.MAX_ROOMS_PER_SOCKET,
      socketEventsPerSecond: e.SOCKET_EVENTS_PER_SECOND,
      socketEventBurst: e.SOCKET_EVENT_BURST,
      publisherEventsPerSecond: e.PUBLISHER_EVENTS_PER_SECOND,
      publisherEventBurst: e.PUBLISHER_EVENT_BURST,
      socketRefusalGraceMs: e.SOCKET_REFUSAL_GRACE_MS,
      socketRefusalMax: e.SOCKET_REFUSAL_MAX,
      chatMessagesPerSecond: e.CHAT_MESSAGES_PER_SECOND,
      chatMessageBurst: e.CHAT_MESSAGE_BURST,
      slowSocketBytes: e.SLOW_SOCKET_MAX_BYTES,
    },
  };
}
