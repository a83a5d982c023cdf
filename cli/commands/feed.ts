import { Option, type Command } from "commander";
import { isRetryable, type Connection } from "../../client/index.js";
import { sleep } from "../../client/backoff.js";
import type { MatchId } from "../../contract/index.js";
import { positiveNumber, requireToken, tokenOption } from "../arguments.js";
import { publisherConnection, whenLive } from "../connect.js";
import { EXIT } from "../exit-codes.js";
import { FeedView } from "../feed/feed-view.js";
import { publishState, STEP_RETRY_WINDOW_S } from "../feed/publish-state.js";
import { loadTimeline, type Step } from "../feed/timeline.js";
import { CliError } from "../failure.js";
import { reportStatus } from "../output/connection-status.js";
import { settingsOf, type Settings } from "../settings.js";

export function feedCommand(program: Command): void {
  program
    .command("feed")
    .description("replay a recorded match timeline as a publisher, showing how far it has come")
    .argument("<timeline>", "a JSON Lines file, one update per line")
    .addOption(
      new Option("--speed <factor>", "replay this many times faster than recorded")
        .default(1)
        .argParser(positiveNumber),
    )
    .addOption(tokenOption())
    .addHelpText(
      "after",
      [
        "",
        "Each line is a publish plus when it happened, in seconds since the recording",
        "began, and an optional note:",
        '  {"at":0,"id":"ars-tot","home":{"name":"Arsenal"},"away":{"name":"Tottenham"}}',
        '  {"at":1020,"id":"ars-tot","home":{"score":1},"minute":12,"note":"Goal!"}',
        "The whole file is checked first. Each step publishes the match's full state with",
        "the version it last saw as expectedVersion, so a restarted server or a lost",
        `answer still ends with every update applied once; a step is retried for ${STEP_RETRY_WINDOW_S} s.`,
        "",
        "Example:",
        "  MATCHDAY_TOKEN=secret matchday feed cli/samples/north-london-derby.jsonl --speed 1000",
      ].join("\n"),
    )
    .action((file: string, options: { speed: number; token?: string }, command: Command) =>
      feed(file, options.speed, requireToken(options.token), settingsOf(command)),
    );
}

async function feed(
  file: string,
  speed: number,
  token: string,
  { url, output, connectTimeoutMs }: Settings,
): Promise<void> {
  const steps = await loadTimeline(file);
  const connection = publisherConnection(url, token);
  const view = new FeedView(output, steps.length);
  const stopStatus = reportStatus(connection, output, view.status);
  try {
    await whenLive(connection, connectTimeoutMs);
    await replay(connection, steps, speed, view);
  } catch (err) {
    if (!isRetryable(err) || connection.status.state === "live") throw err;
    throw new CliError(
      EXIT.unreachable,
      "unreachable",
      `lost ${url} for over ${STEP_RETRY_WINDOW_S} s: ${(err as Error).message}`,
    );
  } finally {
    stopStatus();
    connection.close();
  }
}

/** Publishes each step at its time (scaled by `speed`), or at once when behind. */
async function replay(connection: Connection, steps: Step[], speed: number, view: FeedView) {
  const versions = new Map<MatchId, number>();
  const started = performance.now();
  const origin = steps[0].at;
  for (const step of steps) {
    await sleep(started + ((step.at - origin) * 1000) / speed - performance.now());
    const match = await publishState(connection, step.state, {
      knownVersion: versions.get(step.state.id) ?? 0,
      deadline: Date.now() + STEP_RETRY_WINDOW_S * 1000,
      onRetry: (failure) => view.retry(failure),
    });
    versions.set(match.id, match.version);
    view.step(step, match);
  }
  view.finish(performance.now() - started);
}
