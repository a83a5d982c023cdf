import { expect } from "chai";
import type { Message } from "../../contract/index.js";
import { call, chatter, closeAll } from "../support/clients.js";
import { request } from "../support/http.js";
import { JWT_SECRET, jwtEnv, MODERATOR_TOKEN } from "../support/jwt.js";
import { CliProcess, type Exit } from "./support/cli-process.js";
import { useInstance } from "./support/use-instance.js";

const ok = (exit: Exit) => expect(exit.code, exit.stderr.join("\n")).to.equal(0);

describe("cli: moderation and tokens", function () {
  this.timeout(30_000);
  const suite = useInstance(jwtEnv);
  const asModerator = () => ({ ...suite.env, MATCHDAY_TOKEN: MODERATOR_TOKEN });
  afterEach(closeAll);

  it("deletes a message (0), refuses a publisher token (4) and an unknown seq (7)", async () => {
    const room = "cli:delete";
    const writer = await chatter(suite.instance.url);
    expect((await call(writer, "join", { room })).ok).to.equal(true);
    expect((await call(writer, "send", { room, text: "regrettable" })).ok).to.equal(true);

    const refused = await CliProcess.run(["delete", room, "1"], suite.env);
    expect([refused.code, refused.stderr.length]).to.deep.equal([4, 1]);
    ok(await CliProcess.run(["delete", room, "1"], asModerator()));
    const page = await request(`${suite.instance.url}/api/rooms/${room}/messages`);
    expect(page.body.messages[0]).to.deep.include({ seq: 1, text: "", deleted: true });
    const missing = await CliProcess.run(["delete", room, "99", "--json"], asModerator());
    expect(missing.code).to.equal(7);
    expect(JSON.parse(missing.stderr[0])).to.deep.include({ code: "not_found" });
    expect((await CliProcess.run(["delete", room, "x"], asModerator())).code).to.equal(2);
  });

  it("mutes and unmutes a user; bad minutes exit 2", async () => {
    const room = "cli:mute";
    const fan = await chatter(suite.instance.url, { auth: { userId: "cli-fan-0001" } });
    expect((await call(fan, "join", { room })).ok).to.equal(true);

    const muted = await CliProcess.run(
      ["mute", "cli-fan-0001", "--minutes", "10", "--room", room, "--json"],
      asModerator(),
    );
    ok(muted);
    const { until } = JSON.parse(muted.stdout[0]) as { until: string };
    const refused = await call(fan, "send", { room, text: "hello?" });
    expect(refused.error).to.deep.include({ code: "forbidden" });
    expect(refused.error.message).to.include(until);
    expect(
      (await CliProcess.run(["mute", "cli-fan-0001", "--minutes", "0"], asModerator())).code,
    ).to.equal(2);
    ok(await CliProcess.run(["unmute", "cli-fan-0001", "--room", room], asModerator()));
    expect((await call(fan, "send", { room, text: "thanks" })).ok).to.equal(true);
  });

  it("mints a token the server verifies, with its role, for chat --jwt", async () => {
    const room = "cli:token";
    const minted = await CliProcess.run([
      "token",
      "--sub",
      "site:4711",
      "--name",
      "Ana",
      "--role",
      "moderator",
      "--secret",
      JWT_SECRET,
      "--ttl",
      "5m",
    ]);
    ok(minted);
    const jwt = minted.stdout[0];
    const chat = await CliProcess.run(["chat", room, "--jwt", jwt, "--json"], suite.env, "hi\n");
    ok(chat);
    const page = await request(`${suite.instance.url}/api/rooms/${room}/messages`);
    expect((page.body.messages as Message[])[0].user).to.deep.equal({
      id: "site:4711",
      name: "Ana",
      verified: true,
    });
    ok(await CliProcess.run(["delete", room, "1"], { ...suite.env, MATCHDAY_TOKEN: jwt }));
    const wrong = await CliProcess.run(["chat", room, "--jwt", "not.a.jwt"], suite.env, "");
    expect(wrong.code).to.equal(4);
  });
});
