import type { Command } from "commander";
import { wholeNumber } from "../arguments.js";
import { settingsOf } from "../settings.js";
import { asModerator, moderatorTokenOption } from "./moderator.js";

interface MuteOptions {
  minutes: number;
  room?: string;
  token?: string;
}

export function muteCommand(program: Command): void {
  program
    .command("mute")
    .description("moderators: keep a user from sending, in one room or everywhere, for a while")
    .argument("<userId>", "the user's id (a message's user.id)")
    .requiredOption("--minutes <n>", "1..10080 (a week)", wholeNumber)
    .option("--room <room>", "only this room (default: every room)")
    .addOption(moderatorTokenOption())
    .addHelpText(
      "after",
      ["", "Example:", "  MATCHDAY_TOKEN=mod-secret matchday mute site:4711 --minutes 10"].join(
        "\n",
      ),
    )
    .action((userId: string, options: MuteOptions, command: Command) => {
      const settings = settingsOf(command);
      return asModerator(options.token, settings, async (chat) => {
        const until = await chat.mute(userId, options.minutes, options.room);
        const { output } = settings;
        if (output.json) output.record("muted", { userId, until: until.toISOString() });
        else output.print(`muted ${userId} until ${until.toISOString()}`);
      });
    });
}
