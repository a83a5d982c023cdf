import { expect } from "chai";
import { DEFAULT_LIMITS } from "../contract/index.js";
import { ConfigError, loadConfig } from "../server/config.js";
import { startProcessInstance } from "./support/process-instance.js";

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
    });
    expect(config.publishTokens).to.deep.equal(["a", "b"]);
    expect(config.corsOrigins).to.deep.equal(["https://example.com", "http://localhost:8080"]);
    expect(config.limits.roomsPerSocket).to.equal(5);
    expect(config.redisUrl).to.equal("redis://127.0.0.1:6380");
  });

  it("fails fast with one sentence naming the bad variable", () => {
    const cases: Record<string, string>[] = [
      { PORT: "http" },
      { PORT: "70000" },
      { REDIS_URL: "localhost:6379" },
      { CORS_ORIGINS: "https://example.com/path" },
      { SOCKET_EVENTS_PER_SECOND: "5" },
      { LOG_LEVEL: "loud" },
    ];
    for (const env of cases) {
      const name = Object.keys(env)[0]!;
      expect(() => loadConfig(env), name).to.throw(ConfigError, new RegExp(`^Invalid ${name}=`));
    }
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
      .to.match(/exited with 1/)
      .and.match(/Invalid PORT="nope"/);
  });
});
