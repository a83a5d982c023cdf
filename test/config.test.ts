import { expect } from "chai";
import { generateKeyPairSync } from "node:crypto";
import { DEFAULT_LIMITS } from "../contract/index.js";
import { ConfigError, loadConfig } from "../server/config.js";
import { freePort } from "../scripts/free-port.js";
import { request, statusOf } from "./support/http.js";
import { keyPair } from "./support/jwt.js";
import { startProcessInstance } from "./support/process-instance.js";
import { RedisServer } from "./support/redis-server.js";
import { eventually } from "./support/wait.js";

describe("config", () => {
  it("defaults to one instance in memory on port 3000, with the contract's limits", () => {
    const config = loadConfig({});
    expect(config).to.deep.include({
      port: 3000,
      host: "0.0.0.0",
      redisUrl: undefined,
      publishTokens: [],
      corsOrigins: [],
      logLevel: "info",
    });
    expect(config.limits).to.deep.equal(DEFAULT_LIMITS);
  });

  it("reads lists and limits", () => {
    const config = loadConfig({
      PUBLISH_TOKENS: " a, b ,,",
      CORS_ORIGINS: "https://example.com,http://localhost:8080",
      MAX_ROOMS_PER_SOCKET: "5",
      REDIS_URL: "redis://127.0.0.1:6380",
      // 20 a second is the lowest per-socket event rate allowed.
      SOCKET_EVENTS_PER_SECOND: "20",
      PUBLISHER_EVENTS_PER_SECOND: "20",
    });
    expect(config.publishTokens).to.deep.equal(["a", "b"]);
    expect(config.corsOrigins).to.deep.equal(["https://example.com", "http://localhost:8080"]);
    expect(config.limits.roomsPerSocket).to.equal(5);
    expect(config.redisUrl).to.equal("redis://127.0.0.1:6380");
    expect(config.limits.socketEventsPerSecond).to.equal(20);
    expect(config.limits.publisherEventsPerSecond).to.equal(20);
  });

  it("fails fast with one sentence naming the bad variable", () => {
    const cases: Record<string, string>[] = [
      { PORT: "http" },
      { PORT: "70000" },
      { PORT: "" },
      { PORT: "0x10" },
      { DRAIN_WINDOW_MS: "1e3" },
      { MAX_PAYLOAD_DEPTH: "-4" },
      { REDIS_URL: "localhost:6379" },
      { CORS_ORIGINS: "https://example.com/path" },
      { SOCKET_EVENTS_PER_SECOND: "5" },
      { SOCKET_EVENTS_PER_SECOND: "19" },
      { PUBLISHER_EVENTS_PER_SECOND: "19" },
      { LOG_LEVEL: "loud" },
      { INSTANCE_ID: "Node.1" },
      { INSTANCE_ID: "" },
      { INSTANCE_ID: "a".repeat(33) },
      { JWT_PUBLIC_KEY: "not a key" },
      {
        JWT_PUBLIC_KEY: generateKeyPairSync("ec", { namedCurve: "secp384r1" })
          .publicKey.export({ type: "spki", format: "pem" })
          .toString(),
      },
      { GUEST_CHAT: "maybe" },
      { JWT_SECRET: "" },
    ];
    for (const env of cases) {
      const name = Object.keys(env)[0];
      expect(() => loadConfig(env), name).to.throw(ConfigError, new RegExp(`^Invalid ${name}=`));
    }
  });

  it("reads the identity settings: a PEM key (with \\n escapes) or a secret, never both", () => {
    const { pem } = keyPair("ed25519");
    const config = loadConfig({
      JWT_PUBLIC_KEY: pem.replaceAll("\n", "\\n"),
      JWT_ISSUER: "https://site.example",
      MODERATOR_TOKENS: "m1,m2",
      GUEST_CHAT: "off",
    });
    expect(config.jwt).to.deep.equal({
      key: { kind: "public", pem },
      issuer: "https://site.example",
      audience: undefined,
    });
    expect(config).to.deep.include({ moderatorTokens: ["m1", "m2"], guestChat: false });
    expect(loadConfig({}).guestChat).to.equal(true);
    expect(() => loadConfig({ JWT_SECRET: "s", JWT_PUBLIC_KEY: pem })).to.throw(
      ConfigError,
      "Set JWT_SECRET or JWT_PUBLIC_KEY, not both.",
    );
    const cluster = "redis://127.0.0.1:7000, redis://127.0.0.1:7001";
    expect(
      () => loadConfig({ REDIS_CLUSTER_NODES: cluster, REDIS_URL: "redis://127.0.0.1:6380" }),
      "both",
    ).to.throw(ConfigError, "Set REDIS_URL or REDIS_CLUSTER_NODES, not both.");
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: "127.0.0.1:7000" })).to.throw(
      ConfigError,
      'Invalid REDIS_CLUSTER_NODES="127.0.0.1:7000": must start with redis:// or rediss://.',
    );
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: cluster, REDIS_PREFIX: "{m}:" })).to.throw(
      ConfigError,
      "REDIS_PREFIX must not contain { or } on a Redis Cluster.",
    );
    expect(() => loadConfig({ REDIS_WAIT_REPLICAS: "1" })).to.throw(
      ConfigError,
      "REDIS_WAIT_REPLICAS needs REDIS_URL or REDIS_CLUSTER_NODES.",
    );
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: cluster, REDIS_WAIT_REPLICAS: "-1" })).to.throw(
      ConfigError,
      "Invalid REDIS_WAIT_REPLICAS",
    );
    const parsed = loadConfig({ REDIS_CLUSTER_NODES: cluster, REDIS_WAIT_REPLICAS: "1" });
    expect(parsed.redisClusterNodes).to.deep.equal([
      "redis://127.0.0.1:7000",
      "redis://127.0.0.1:7001",
    ]);
    expect(parsed.redisWaitReplicas).to.equal(1);
    expect(loadConfig({ REDIS_WAIT_REPLICAS: "0" }).redisUrl).to.equal(undefined);
  });

  it("starts with no environment at all in memory mode and exits 0 on SIGTERM", async () => {
    const instance = await startProcessInstance({});
    const ready = await fetch(`${instance.url}/readyz`);
    expect(ready.status).to.equal(200);
    instance.signal("SIGTERM");
    expect((await instance.exited()).code).to.equal(0);
  });

  it("exits 1 with the sentence when a variable is bad", async () => {
    const error = await startProcessInstance({ PORT: "nope" }).catch((err: Error) => err);
    expect(String(error))
      .to.match(/exited with code 1/)
      .and.match(/Invalid PORT="nope"/);
  });

  it("is alive but not ready while Redis does not answer at start, then serves", async () => {
    const redis = await RedisServer.start();
    await redis.kill();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const starting = startProcessInstance({ REDIS_URL: redis.url, PORT: String(port) });
    // Awaited below; a failure to start must not count as unhandled meanwhile.
    starting.catch(() => undefined);
    try {
      const status = (path: string) => statusOf(`${base}${path}`);
      await eventually(
        "listening while Redis is down",
        async () => (await status("/healthz")) === 200,
      );
      expect(await status("/readyz")).to.equal(503);
      const api = await request(`${base}/api/matches`);
      expect(api.status).to.equal(503);
      expect(api.body.error.code).to.equal("unavailable");
      await redis.restart();
      const instance = await starting;
      expect(await status("/readyz")).to.equal(200);
      expect((await request(`${base}/api/matches`)).status).to.equal(200);
      expect(instance.logs.some((line) => line.includes("redis not reachable; retrying"))).to.equal(
        true,
      );
    } finally {
      await starting.then(
        (instance) => instance.stop(),
        () => undefined,
      );
      await redis.stop();
    }
  });

  it("exits 1 with one sentence when it cannot listen", async () => {
    const first = await startProcessInstance({});
    try {
      const { port } = new URL(first.url);
      const error = await startProcessInstance({ PORT: port }).catch((err: Error) => err);
      expect(String(error))
        .to.match(/exited with code 1/)
        .and.match(
          new RegExp(
            `cannot listen on 127\\.0\\.0\\.1:${port} \\(EADDRINUSE\\); check HOST and PORT`,
          ),
        )
        .and.not.match(/\n\s+at /);
    } finally {
      await first.stop();
    }
  });
});
