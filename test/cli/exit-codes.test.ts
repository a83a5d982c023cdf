import { expect } from "chai";
import { freePort } from "../../scripts/free-port.js";
import { Instance } from "../support/instances.js";
import { RedisServer } from "../support/redis-server.js";
import { CliProcess, SAMPLE_TIMELINE, type Exit } from "./support/cli-process.js";
import { useInstance } from "./support/use-instance.js";

const CREATE = ["--home-name", "Arsenal", "--away-name", "Chelsea"];

/** Every failure ends with its documented exit code and one line on stderr saying why. */
function expectFailure(exit: Exit, code: number, says: RegExp): void {
  expect(exit.code, exit.stderr.join("\n")).to.equal(code);
  expect(exit.stderr).to.have.lengthOf(1);
  expect(exit.stderr[0]).to.match(says);
}

describe("cli: exit codes", () => {
  const suite = useInstance();

  it("2: bad arguments, a bad timeline line, a request the server refuses", async () => {
    expectFailure(
      await CliProcess.run(["publish", "x1", "--home", "two"], suite.env),
      2,
      /^matchday: option '--home <score>' argument 'two' is invalid/,
    );
    expectFailure(await CliProcess.run(["watch"], suite.env), 2, /give match ids, or --all/);
    expectFailure(
      await CliProcess.run(["publish", "x1", "--frob"], suite.env),
      2,
      /unknown option/,
    );
    expectFailure(await CliProcess.run(["watch", "no spaces"], suite.env), 2, /not a match id/);
    for (const name of ["", "   "]) {
      expectFailure(
        await CliProcess.run(["chat", "r1", "--name", name], suite.env),
        2,
        /^matchday: option '--name <name>' argument '\s*' is invalid\. must have 1\.\.32 characters/,
      );
    }
    expectFailure(
      await CliProcess.run(["feed", "no-such-file.jsonl"], suite.env),
      2,
      /cannot read the timeline/,
    );
    expectFailure(
      await CliProcess.run(["publish", "x1", "--home", "1"], suite.env),
      2,
      /^matchday: bad_request: match x1 does not exist; creating it needs home.name/,
    );
  });

  it("3: nothing listens at --url", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const args = ["publish", "x2", ...CREATE, "--connect-timeout", "1", "--url", url];
    expectFailure(
      await CliProcess.run(args, suite.env),
      3,
      new RegExp(`^matchday: unreachable: cannot reach ${url} within 1 s`),
    );
  });

  it("4: a wrong token, or none", async () => {
    expectFailure(
      await CliProcess.run(["publish", "x3", ...CREATE, "--token", "not-the-token"], suite.env),
      4,
      /^matchday: unauthorized: the server does not accept this token$/,
    );
    expectFailure(
      await CliProcess.run(["publish", "x3", ...CREATE], { MATCHDAY_URL: suite.instance.url }),
      4,
      /needs a token/,
    );
  });

  it("5: the match is not at --expected-version", async () => {
    expect((await CliProcess.run(["publish", "x4", ...CREATE], suite.env)).code).to.equal(0);
    const stale = ["publish", "x4", "--home", "1", "--expected-version", "0", "--json"];
    const exit = await CliProcess.run(stale, suite.env);
    expect(exit.code).to.equal(5);
    expect(JSON.parse(exit.stderr[0])).to.deep.equal({
      type: "error",
      code: "conflict",
      message: "expected version 0, but match x4 is at version 1",
      exitCode: 5,
    });
  });

  describe("with a strict publisher limit", () => {
    const strict = useInstance({ PUBLISHER_EVENTS_PER_SECOND: "20", PUBLISHER_EVENT_BURST: "1" });

    it("6: a feed replayed faster than the server allows", async () => {
      const fast = ["feed", SAMPLE_TIMELINE, "--speed", "1000000"];
      expectFailure(await CliProcess.run(fast, strict.env), 6, /^matchday: rate_limited: /);
    });
  });

  describe("with its Redis down", () => {
    let redis: RedisServer;
    let stranded: Instance;
    before(async () => {
      redis = await RedisServer.start();
      stranded = await Instance.start({ redisUrl: redis.url });
      await redis.kill();
    });
    after(async () => {
      // Closing is bounded: it does not wait for a Redis that is gone.
      await stranded.close();
      await redis.stop();
    });

    it("7: the server cannot do it now (unavailable)", async () => {
      expectFailure(
        await CliProcess.run(["publish", "x5", ...CREATE, "--url", stranded.url], suite.env),
        7,
        /^matchday: unavailable: /,
      );
    });
  });
});
