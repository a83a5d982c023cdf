import { Option, type Command } from "commander";
import { positiveNumber, serviceUrl } from "./arguments.js";
import { Output } from "./output/output.js";

export const DEFAULT_URL = "http://localhost:3000";
const DEFAULT_CONNECT_TIMEOUT_S = 10;

/** What every subcommand takes: where the service is, how to print, how long to wait for it. */
export interface Settings {
  url: string;
  output: Output;
  connectTimeoutMs: number;
}

interface GlobalOptions {
  url: string;
  json?: true;
  connectTimeout: number;
}

/** Options of the program that every subcommand accepts too (before or after its name). */
export function addGlobalOptions(program: Command): void {
  program
    .addOption(
      new Option("--url <url>", "the matchday service")
        .env("MATCHDAY_URL")
        .default(DEFAULT_URL)
        .argParser(serviceUrl),
    )
    .option("--json", "one JSON object per line on stdout (errors: on stderr), for scripts")
    .addOption(
      new Option("--connect-timeout <seconds>", "give up when not connected by then")
        .default(DEFAULT_CONNECT_TIMEOUT_S)
        .argParser(positiveNumber),
    );
}

export function settingsOf(command: Command): Settings {
  const { url, json, connectTimeout } = command.optsWithGlobals<GlobalOptions>();
  return { url, output: new Output(json === true), connectTimeoutMs: connectTimeout * 1000 };
}
