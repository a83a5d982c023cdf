import type { Command } from "commander";
import { wholeNumber } from "../arguments.js";
import { settingsOf } from "../settings.js";
import { asModerator, moderatorTokenOption } from "./moderator.js";

export function deleteCommand(program: Command): void {
  program
    .command("delete")
    .description("moderators: remove a message; every member sees it go, its seq stays")
    .argument("<room>", "room name, e.g. match:ars-tot")
    .argument("<seq>", "the message's seq", wholeNumber)
    .addOption(moderatorTokenOption())
    .addHelpText(
      "after",
      ["", "Example:", "  MATCHDAY_TOKEN=mod-secret matchday delete match:ars-tot 42"].join("\n"),
    )
    .action((room: string, seq: number, options: { token?: string }, command: Command) => {
      const settings = settingsOf(command);
      return asModerator(options.token, settings, async (chat) => {
        await chat.deleteMessage(room, seq);
        const { output } = settings;
        if (output.json) output.record("deleted", { room, seq });
        else output.print(`deleted ${room} #${seq}`);
      });
    });
}
