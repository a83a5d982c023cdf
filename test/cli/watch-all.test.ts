import { expect } from "chai";
import { CliProcess } from "./support/cli-process.js";
import { useInstance } from "./support/use-instance.js";

describe("cli: watch --all", () => {
  const suite = useInstance();

  it("follows every match, including one created after it started, each version once", async () => {
    await CliProcess.run(["publish", "a1", "--home-name", "Ajax", "--away-name", "PSV"], suite.env);
    const watch = CliProcess.start(["watch", "--all", "--json"], suite.env);
    // The answer to subscribe_all holds the match that already exists.
    const first = await watch.record((r) => r.type === "match");
    expect(first.match).to.include({ id: "a1", version: 1 });

    const create = ["publish", "a-later", "--home-name", "Celtic", "--away-name", "Rangers"];
    expect((await CliProcess.run(create, suite.env)).code).to.equal(0);
    await watch.record((r) => r.type === "match" && r.match.id === "a-later");
    await CliProcess.run(["publish", "a-later", "--home", "1"], suite.env);
    await CliProcess.run(["publish", "a1", "--away", "2"], suite.env);
    await watch.record((r) => r.type === "match" && r.match.id === "a1" && r.match.version === 2);

    watch.signal("SIGTERM");
    const end = await watch.exited();
    expect(end.code).to.equal(0);
    const versions = watch.records
      .filter((r) => r.type === "match")
      .map((r) => `${r.match.id} v${r.match.version}`);
    expect(versions).to.deep.equal(["a1 v1", "a-later v1", "a-later v2", "a1 v2"]);
  });

  it("prints a line per version without --json", async () => {
    const watch = CliProcess.start(["watch", "--all"], suite.env);
    await watch.line((line) => line.includes("Live updates · WebSocket"));
    await CliProcess.run(
      ["publish", "a2", "--home-name", "Lyon", "--away-name", "Nice"],
      suite.env,
    );
    await watch.line((line) => line === "a2  Lyon 0–0 Nice  Not started  v1");
    watch.signal("SIGINT");
    expect((await watch.exited()).code).to.equal(0);
  });

  it("takes match ids or --all, not both and not neither", async () => {
    for (const args of [["watch"], ["watch", "--all", "a1"]]) {
      const refused = await CliProcess.run(args, suite.env);
      expect(refused.code, args.join(" ")).to.equal(2);
      expect(refused.stderr.join("\n"), args.join(" ")).to.match(/--all/);
    }
  });
});
