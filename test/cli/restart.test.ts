import { expect } from "chai";
import { readFileSync } from "node:fs";
import { fetchMatch } from "../../client/index.js";
import { PUBLISH_TOKEN } from "../support/instances.js";
import { RedisServer } from "../support/redis-server.js";
import { CliProcess, SAMPLE_TIMELINE } from "./support/cli-process.js";
import { RestartableInstance } from "./support/restartable-instance.js";

const STEPS = readFileSync(SAMPLE_TIMELINE, "utf8").trim().split("\n").length;

describe("cli: a server restarted midway", () => {
  let redis: RedisServer;
  let server: RestartableInstance;
  before(async () => {
    redis = await RedisServer.start({ persistent: true });
    server = await RestartableInstance.start(redis.url);
  });
  afterEach(() => CliProcess.killAll());
  after(async () => {
    await server.stop();
    await redis.stop();
  });

  it("feed retries until every update is applied once; watch follows it to the end", async function () {
    this.timeout(60_000);
    const env = { MATCHDAY_URL: server.url, MATCHDAY_TOKEN: PUBLISH_TOKEN };
    const watch = CliProcess.start(["watch", "ars-tot", "--json"], env);
    await watch.record((r) => r.type === "status" && r.state === "live");
    const feed = CliProcess.start(["feed", SAMPLE_TIMELINE, "--speed", "1000", "--json"], env);
    await feed.record((r) => r.type === "progress" && r.step === 6);

    // Paused first, so that a publish is in flight, unanswered, when the server dies.
    server.pause();
    const retry = await feed.record((r) => r.type === "retry", 20_000);
    expect(retry).to.include({ step: 7, code: "unavailable" });
    await server.stop();
    await watch.record((r) => r.type === "status" && r.state !== "live");
    await server.revive();

    const end = await feed.exited();
    expect(end.code, end.stderr.join("\n")).to.equal(0);
    const steps = feed.records.filter((r) => r.type === "progress");
    expect(steps.map((r) => r.step)).to.deep.equal(Array.from({ length: STEPS }, (_, i) => i + 1));
    // One version per update: none lost, none applied twice.
    const last = steps.at(-1).match;
    expect(last).to.deep.include({
      version: STEPS,
      home: { name: "Arsenal", score: 3 },
      away: { name: "Tottenham Hotspur", score: 2 },
      status: "finished",
    });
    expect(await fetchMatch(server.url, "ars-tot")).to.deep.equal(last);

    const seen = await watch.record((r) => r.type === "match" && r.match.version === STEPS);
    expect(seen.match).to.deep.equal(last);
    const versions = watch.records.filter((r) => r.type === "match").map((r) => r.match.version);
    expect(versions).to.satisfy((list: number[]) =>
      list.every((v, i) => i === 0 || v > list[i - 1]),
    );
  });
});
