import type { ErrorCode } from "../../contract/index.js";
import { MatchdayError } from "../matchday-error.js";

const EXPLANATIONS: Partial<Record<ErrorCode, string>> = {
  rate_limited: "You are sending messages too fast. Wait a moment, then send again.",
  unavailable: "The chat is unreachable right now. Your message was not sent; try again.",
  bad_request: "Messages have 1 to 2000 characters.",
};

/** What to tell the person whose message failed. */
export function sendErrorText(err: unknown): string {
  if (err instanceof MatchdayError) return EXPLANATIONS[err.code] ?? err.message;
  return "Something went wrong; your message was not sent.";
}
