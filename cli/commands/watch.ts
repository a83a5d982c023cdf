import type { Command } from "commander";
import { Connection, ScoresFeed } from "../../client/index.js";
import type { Match } from "../../contract/index.js";
import { whenLive } from "../connect.js";
import { reportStatus } from "../output/connection-status.js";
import { LiveRegion } from "../output/live-region.js";
import { matchLine } from "../output/match-text.js";
import { SessionEnd } from "../session-end.js";
import { settingsOf, type Settings } from "../settings.js";
import { scoreTable } from "../watch/score-table.js";

export function watchCommand(program: Command): void {
  program
    .command("watch")
    .description(
      "follow matches live until Ctrl-C; rides out server restarts (reconnects, then catches up)",
    )
    .argument("<matches...>", "match ids; a match not created yet shows up when it is")
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
      ].join("\n"),
    )
    .action((ids: string[], _options, command: Command) =>
      watch([...new Set(ids)], settingsOf(command)),
    );
}

async function watch(ids: string[], { url, output, connectTimeoutMs }: Settings): Promise<void> {
  const connection = new Connection(url);
  const end = new SessionEnd(connection);
  const feed = new ScoresFeed(connection, { onError: (err) => end.fail(err) });
  let onMatch = (match: Match) => output.print(matchLine(output, match));
  let draw: ((line: string) => void) | undefined;
  if (output.json) {
    onMatch = (match) => output.record("match", { match });
  } else if (output.terminal) {
    const region = new LiveRegion(output.stdout);
    let statusLine = "";
    const redraw = () =>
      region.draw([...scoreTable(output, ids, (id) => feed.latest(id)), "", statusLine]);
    onMatch = redraw;
    draw = (line) => {
      statusLine = line;
      redraw();
    };
  }
  const stopStatus = reportStatus(connection, output, { draw });
  try {
    // Before connecting: a bad id fails at once, and the first (re)subscription carries them all.
    await feed.follow(ids, onMatch);
    await end.after(whenLive(connection, connectTimeoutMs));
  } finally {
    stopStatus();
    connection.close();
  }
}
