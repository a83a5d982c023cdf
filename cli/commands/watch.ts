import type { Command } from "commander";
import { Connection, ScoresFeed } from "../../client/index.js";
import type { Match } from "../../contract/index.js";
import { whenLive } from "../connect.js";
import { badArguments } from "../failure.js";
import { reportStatus } from "../output/connection-status.js";
import { matchLine } from "../output/match-text.js";
import { SessionEnd } from "../session-end.js";
import { settingsOf, type Settings } from "../settings.js";
import { liveTable } from "../watch/live-table.js";
import { byIds, everyMatch, type Selection } from "../watch/selection.js";

interface WatchOptions {
  all?: true;
}

export function watchCommand(program: Command): void {
  program
    .command("watch")
    .description(
      "follow matches live until Ctrl-C; rides out server restarts (reconnects, then catches up)",
    )
    .argument("[matches...]", "match ids; a match not created yet shows up when it is")
    .option("--all", "every match instead, creations included; the table lists the latest first")
    .addHelpText(
      "after",
      [
        "",
        "Prints a table that updates in place on a terminal; otherwise one line per",
        'new version, and with --json one {"type":"match","match":{...}} per version',
        'and {"type":"status",...} per connection change.',
        "",
        "Example:",
        "  matchday watch ars-tot che-liv",
        "  matchday watch --all --json",
      ].join("\n"),
    )
    .action((ids: string[], { all }: WatchOptions, command: Command) =>
      watch(selectionOf(ids, all === true), settingsOf(command)),
    );
}

function selectionOf(ids: string[], all: boolean): Selection {
  if (all && ids.length > 0) throw badArguments("give match ids or --all, not both");
  if (all) return everyMatch();
  if (ids.length === 0) throw badArguments("give match ids, or --all for every match");
  return byIds([...new Set(ids)]);
}

async function watch(
  selection: Selection,
  { url, output, connectTimeoutMs }: Settings,
): Promise<void> {
  const connection = new Connection(url);
  const end = new SessionEnd(connection);
  const feed = new ScoresFeed(connection, { onError: (err) => end.fail(err) });
  let onMatch = (match: Match) => output.print(matchLine(output, match));
  let draw: ((line: string) => void) | undefined;
  if (output.json) {
    onMatch = (match) => output.record("match", { match });
  } else if (output.terminal) {
    ({ redraw: onMatch, draw } = liveTable(output, selection, feed));
  }
  const stopStatus = reportStatus(connection, output, { draw });
  try {
    // Before connecting: a bad id fails at once, and the first (re)subscription carries them all.
    await selection.follow(feed, onMatch);
    await end.after(whenLive(connection, connectTimeoutMs));
  } finally {
    stopStatus();
    connection.close();
  }
}
