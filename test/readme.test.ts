import { expect } from "chai";
import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ServiceProcess } from "../scripts/service-process.js";
import { codeBlocks, screenPattern, transcript } from "./readme/readme-blocks.js";
import { runInTerminal } from "./readme/terminal-command.js";

/** The repository, from dist/test. */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Where the README's examples say the service is, and its publish token. */
const README_ORIGIN = "localhost:3000";
const README_TOKEN = "secret";
/**
 * How much longer than the figure it prints a replay may take from the
 * prompt: npx and Node starting and connecting, slow on a busy machine, and
 * still far from the minutes a wrong `--speed` costs.
 */
const COMMAND_OVERHEAD_S = 15;
/** The last line of a replay (`feed`). */
const REPLAY_DONE = /^done: \d+ updates in ([\d.]+) s$/;

const replaySeconds = (screen: string[]) => {
  const done = screen.map((line) => REPLAY_DONE.exec(line)).find(Boolean);
  return done ? Number(done[1]) : undefined;
};

const readme = codeBlocks(await readFile(join(ROOT, "README.md"), "utf8"));

/**
 * Runs the README's examples in order against a service on a free port, as
 * someone does on a fresh clone after `npm install && npm run build`: every
 * `console` transcript on a terminal, its screen compared with the one shown;
 * each `js` block saved under the name its first line gives, for a
 * transcript to run. Only the host and port are changed.
 */
describe("README examples", function () {
  this.timeout(120_000);
  let service: ServiceProcess;
  /** A view of the repository (symlinks) where the examples' files are saved. */
  let clone: string;
  let env: Record<string, string | undefined>;
  const here = (text: string) => text.replaceAll(README_ORIGIN, new URL(service.url).host);

  before(async () => {
    service = await ServiceProcess.start({ PUBLISH_TOKENS: README_TOKEN });
    clone = await mkdtemp(join(tmpdir(), "matchday-readme-"));
    for (const entry of await readdir(ROOT)) {
      if (entry !== ".git") await symlink(join(ROOT, entry), join(clone, entry));
    }
    for (const block of readme.filter(({ lang }) => lang === "js")) {
      const name = /^\/\/ (\S+\.mjs)\b/.exec(block.lines[0] ?? "")?.[1];
      expect(name, `README.md:${block.line}: the first line names the file`).to.be.a("string");
      await writeFile(join(clone, name!), here(block.lines.join("\n")));
    }
    const inherited = Object.entries(process.env).filter(([name]) => !name.startsWith("MATCHDAY_"));
    env = { ...Object.fromEntries(inherited), TERM: "xterm-256color", MATCHDAY_URL: service.url };
  });
  after(async () => {
    await service?.stop();
    if (clone) await rm(clone, { recursive: true, force: true });
  });

  it("has no JavaScript or TypeScript example that no transcript runs", () => {
    const run = readme
      .filter(({ lang }) => lang === "console")
      .flatMap(transcript)
      .map(({ command }) => command);
    for (const block of readme.filter(({ lang }) => ["js", "ts", "mjs"].includes(lang))) {
      const name = /^\/\/ (\S+)/.exec(block.lines[0] ?? "")?.[1];
      expect(run, `README.md:${block.line}`).to.include(`node ${name}`);
    }
  });

  for (const block of readme.filter(({ lang }) => lang === "console")) {
    const steps = transcript(block);
    const first = steps.find(({ command }) => !command.startsWith("export "));
    it(`README.md:${block.line}: ${first?.command.split("\n")[0]}`, async () => {
      for (const { command, expected, interrupted } of steps) {
        const exported = /^export (\w+)=(\S+)$/.exec(command);
        if (exported) {
          env[exported[1]] = exported[2];
          continue;
        }
        const started = performance.now();
        const screen = await runInTerminal(here(command), {
          cwd: clone,
          env,
          timeoutMs: 60_000,
          ...(interrupted
            ? { interruptWhen: screenPattern(expected.slice(0, expected.indexOf("^C"))) }
            : {}),
        });
        const took = (performance.now() - started) / 1000;
        expect(screen.join("\n"), `$ ${command}`).to.match(screenPattern(expected));
        const stated = replaySeconds(expected);
        if (stated !== undefined) {
          expect(replaySeconds(screen), "the replay takes what it says").to.be.closeTo(stated, 0.5);
          expect(took, "the replay's command ends soon after").to.be.below(
            stated + COMMAND_OVERHEAD_S,
          );
        }
      }
    });
  }
});
