import { expect } from "chai";
import { CliProcess } from "./support/cli-process.js";
import { useInstance } from "./support/use-instance.js";

describe("cli: publish and watch", () => {
  const suite = useInstance();

  it("publish creates and changes a match, printing its new state; watch --json follows it", async () => {
    const created = await CliProcess.run(
      ["publish", "w1", "--home-name", "Arsenal", "--away-name", "Chelsea"],
      suite.env,
    );
    expect(created).to.include({ code: 0 });
    expect(created.stdout).to.deep.equal(["w1  Arsenal 0–0 Chelsea  Not started  v1"]);

    const watch = CliProcess.start(["watch", "w1", "w-later", "--json"], suite.env);
    const first = await watch.record((r) => r.type === "match");
    expect(first.match).to.include({ id: "w1", version: 1 });
    const live = await watch.record((r) => r.type === "status" && r.state === "live");
    // Whether it would retry is said only when offline, where it is news.
    expect(live).to.deep.equal({ type: "status", state: "live", transport: "websocket" });

    const args = ["--home", "2", "--away", "1", "--minute", "67", "--status", "live"];
    const changed = await CliProcess.run(["publish", "w1", ...args, "--json"], suite.env);
    expect(changed.code).to.equal(0);
    const [published] = changed.stdout.map((line) => JSON.parse(line));
    expect(published.match).to.deep.include({
      home: { name: "Arsenal", score: 2 },
      away: { name: "Chelsea", score: 1 },
      status: "live",
      minute: 67,
      version: 2,
    });
    const seen = await watch.record((r) => r.type === "match" && r.match.version === 2);
    expect(seen.match).to.deep.equal(published.match);

    // A match created after the watch began shows up too.
    await CliProcess.run(["publish", "w-later", "--home-name", "A", "--away-name", "B"], suite.env);
    await watch.record((r) => r.type === "match" && r.match.id === "w-later");

    watch.signal("SIGTERM");
    const end = await watch.exited();
    expect(end.code).to.equal(0);
    expect(end.stderr).to.deep.equal([]);
  });

  it("watch prints a line per version when stdout is not a terminal", async () => {
    await CliProcess.run(["publish", "w2", "--home-name", "Ajax", "--away-name", "PSV"], suite.env);
    const watch = CliProcess.start(["watch", "w2"], suite.env);
    await watch.line((line) => line === "w2  Ajax 0–0 PSV  Not started  v1");
    await watch.line((line) => line.includes("Live updates · WebSocket"));
    await CliProcess.run(["publish", "w2", "--away", "1", "--status", "halftime"], suite.env);
    await watch.line((line) => line === "w2  Ajax 0–1 PSV  Half-time  v2");
    watch.signal("SIGINT");
    expect((await watch.exited()).code).to.equal(0);
  });

  it("--help of every command documents the exit codes", async () => {
    for (const command of [[], ["watch"], ["publish"], ["chat"], ["feed"]]) {
      const help = await CliProcess.run([...command, "--help"]);
      expect(help.code, command.join(" ")).to.equal(0);
      const text = help.stdout.join("\n");
      for (const code of [0, 1, 2, 3, 4, 5, 6, 7]) {
        expect(text, `${command.join(" ")} --help`).to.match(new RegExp(`^  ${code}  \\S`, "m"));
      }
    }
  });
});
