import { Option, type Command } from "commander";
import { publish } from "../../client/index.js";
import { MATCH_STATUSES, type MatchUpdate, type Team } from "../../contract/index.js";
import { requireToken, tokenOption, wholeNumber } from "../arguments.js";
import { publisherConnection, whenLive } from "../connect.js";
import { matchLine } from "../output/match-text.js";
import { settingsOf, type Settings } from "../settings.js";

interface PublishOptions {
  home?: number;
  away?: number;
  homeName?: string;
  awayName?: string;
  status?: MatchUpdate["status"];
  minute?: number | null;
  expectedVersion?: number;
  token?: string;
}

const minute = (value: string) => (value === "none" ? null : wholeNumber(value));

export function publishCommand(program: Command): void {
  program
    .command("publish")
    .description("change a match (or create it, with both team names) and print its new state")
    .argument("<match>", "match id")
    .option("--home <score>", "home score", wholeNumber)
    .option("--away <score>", "away score", wholeNumber)
    .option("--home-name <name>", "home team (needed to create the match)")
    .option("--away-name <name>", "away team (needed to create the match)")
    .addOption(new Option("--status <status>", "match status").choices(MATCH_STATUSES))
    .option("--minute <minute>", 'the running minute, or "none" to stop the clock', minute)
    .option(
      "--expected-version <version>",
      "publish only if the match is at this version (0: only create it); safe to retry",
      wholeNumber,
    )
    .addOption(tokenOption())
    .addHelpText(
      "after",
      [
        "",
        "Fields not given keep their values. Not retried: after exit code 7 the change",
        "may or may not have been applied; repeat it with --expected-version to be safe.",
        "",
        "Examples:",
        "  MATCHDAY_TOKEN=secret matchday publish ars-tot --home-name Arsenal --away-name Tottenham",
        "  MATCHDAY_TOKEN=secret matchday publish ars-tot --home 2 --away 1 --minute 67 --status live",
      ].join("\n"),
    )
    .action((id: string, options: PublishOptions, command: Command) =>
      publishMatch(toUpdate(id, options), requireToken(options.token), settingsOf(command)),
    );
}

/** Fields left undefined are not sent (JSON drops them): the match keeps their values. */
function toUpdate(id: string, options: PublishOptions): MatchUpdate {
  const team = (name?: string, score?: number): Partial<Team> | undefined =>
    name === undefined && score === undefined ? undefined : { name, score };
  const { status, minute, expectedVersion } = options;
  return {
    id,
    home: team(options.homeName, options.home),
    away: team(options.awayName, options.away),
    status,
    minute,
    expectedVersion,
  };
}

async function publishMatch(
  update: MatchUpdate,
  token: string,
  { url, output, connectTimeoutMs }: Settings,
): Promise<void> {
  const connection = publisherConnection(url, token);
  try {
    await whenLive(connection, connectTimeoutMs);
    const match = await publish(connection, update);
    if (output.json) output.record("match", { match });
    else output.print(matchLine(output, match));
  } finally {
    connection.close();
  }
}
