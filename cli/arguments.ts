import { InvalidArgumentError, Option } from "commander";
import { DISPLAY_NAME_MAX } from "../contract/index.js";
import { CliError } from "./failure.js";
import { EXIT } from "./exit-codes.js";

/** Parses 0, 1, 2, ... */
export function wholeNumber(value: string): number {
  if (!/^\d{1,15}$/.test(value)) throw new InvalidArgumentError("must be a whole number.");
  return Number(value);
}

export function positiveNumber(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    throw new InvalidArgumentError("must be a number above 0.");
  }
  return number;
}

/** A chat display name: 1..32 characters once trimmed, as the server counts them. */
export function displayName(value: string): string {
  const name = value.trim();
  const length = [...name].length;
  if (length < 1 || length > DISPLAY_NAME_MAX) {
    throw new InvalidArgumentError(`must have 1..${DISPLAY_NAME_MAX} characters besides spaces.`);
  }
  return name;
}

/** The service's origin: Socket.IO and the HTTP API both live at fixed paths below it. */
export function serviceUrl(value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url?.protocol !== "http:" && url?.protocol !== "https:") {
    throw new InvalidArgumentError("must be a URL like http://localhost:3000.");
  }
  return url.origin;
}

/** `--token`, or `MATCHDAY_TOKEN` from the environment (which keeps it out of `ps`). */
export const tokenOption = () =>
  new Option("--token <token>", "publisher token").env("MATCHDAY_TOKEN");

export function requireToken(token: string | undefined): string {
  if (token) return token;
  throw new CliError(
    EXIT.denied,
    "unauthorized",
    "publishing needs a token: set MATCHDAY_TOKEN or pass --token",
  );
}
