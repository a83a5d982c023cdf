import type { ErrorCode } from "../contract/index.js";
import { STEP_RETRY_WINDOW_S } from "./feed/publish-state.js";

/** How every command ends; scripts branch on these, so a number never changes meaning. */
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  unreachable: 3,
  denied: 4,
  conflict: 5,
  rateLimited: 6,
  unavailable: 7,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const MEANINGS: ReadonlyArray<[ExitCode, string]> = [
  [EXIT.ok, "done"],
  [EXIT.internal, "unexpected failure (a bug: please report it)"],
  [EXIT.usage, "bad arguments or timeline, or a request the server refused (bad_request)"],
  [
    EXIT.unreachable,
    `server unreachable (not within --connect-timeout; feed: lost for ${STEP_RETRY_WINDOW_S} s)`,
  ],
  [EXIT.denied, "token missing, wrong or not allowed (unauthorized, forbidden)"],
  [EXIT.conflict, "the match is not at --expected-version (conflict)"],
  [EXIT.rateLimited, "too fast for the server's limits (rate_limited)"],
  [EXIT.unavailable, "the server could not do it now, e.g. its Redis is down (unavailable)"],
];

/** The exit code table, as every `--help` ends. */
export const EXIT_CODES_HELP = [
  "",
  "Exit codes:",
  ...MEANINGS.map(([code, meaning]) => `  ${code}  ${meaning}`),
].join("\n");

/** The exit code of a failure the server (or the client library) reported with a contract code. */
export const EXIT_FOR_ERROR: Record<ErrorCode, ExitCode> = {
  bad_request: EXIT.usage,
  unauthorized: EXIT.denied,
  forbidden: EXIT.denied,
  not_found: EXIT.unavailable,
  conflict: EXIT.conflict,
  rate_limited: EXIT.rateLimited,
  unavailable: EXIT.unavailable,
};
