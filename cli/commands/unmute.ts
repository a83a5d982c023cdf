import type { Command } from "commander";
import { settingsOf } from "../settings.js";
import { asModerator, moderatorTokenOption } from "./moderator.js";

export function unmuteCommand(program: Command): void {
  program
    .command("unmute")
    .description("moderators: lift a mute (of one room, or the one of every room)")
    .argument("<userId>", "the user's id")
    .option("--room <room>", "the room the mute was for (default: the mute of every room)")
    .addOption(moderatorTokenOption())
    .action((userId: string, options: { room?: string; token?: string }, command: Command) => {
      const settings = settingsOf(command);
      return asModerator(options.token, settings, async (chat) => {
        await chat.unmute(userId, options.room);
        const { output } = settings;
        if (output.json) output.record("unmuted", { userId });
        else output.print(`unmuted ${userId}`);
      });
    });
}
