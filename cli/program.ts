import { Command } from "commander";
import { chatCommand } from "./commands/chat.js";
import { deleteCommand } from "./commands/delete.js";
import { muteCommand } from "./commands/mute.js";
import { tokenCommand } from "./commands/token.js";
import { unmuteCommand } from "./commands/unmute.js";
import { feedCommand } from "./commands/feed.js";
import { publishCommand } from "./commands/publish.js";
import { watchCommand } from "./commands/watch.js";
import { EXIT_CODES_HELP } from "./exit-codes.js";
import { addGlobalOptions } from "./settings.js";

/** The `matchday` command and its subcommands. */
export function createProgram(): Command {
  const program = new Command("matchday")
    .description("Live scores and chat of a matchday service, from a terminal or a script.")
    .configureHelp({ showGlobalOptions: true })
    // Commander's errors become exceptions that the entry maps to exit codes.
    .exitOverride()
    .configureOutput({
      outputError: (text, write) => write(`matchday: ${text.replace(/^error: /, "")}`),
    });
  addGlobalOptions(program);
  // Made with program.command(), subcommands inherit the settings above.
  for (const add of [
    watchCommand,
    publishCommand,
    chatCommand,
    feedCommand,
    deleteCommand,
    muteCommand,
    unmuteCommand,
    tokenCommand,
  ])
    add(program);
  for (const command of [program, ...program.commands]) {
    command.addHelpText("after", EXIT_CODES_HELP);
  }
  return program;
}
