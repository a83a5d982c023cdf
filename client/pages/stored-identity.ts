import { DISPLAY_NAME_MAX, USER_ID_PATTERN } from "../../contract/index.js";
import { randomId } from "../random-id.js";

const USER_ID_KEY = "matchday:userId";
const NAME_KEY = "matchday:name";

/** localStorage, or nothing where it is disabled (some private modes throw on access). */
function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/** This browser's anonymous id, kept across visits; it scopes chat nonces, it is no credential. */
export function storedUserId(): string {
  const stored = storage()?.getItem(USER_ID_KEY);
  if (stored && USER_ID_PATTERN.test(stored)) return stored;
  const fresh = randomId();
  storage()?.setItem(USER_ID_KEY, fresh);
  return fresh;
}

/** The chat name picked last time, if still valid: a bad one would fail the whole handshake. */
export function storedName(): string {
  const name = storage()?.getItem(NAME_KEY)?.trim() ?? "";
  const length = [...name].length;
  return length >= 1 && length <= DISPLAY_NAME_MAX ? name : "";
}

export const storeName = (name: string): void => storage()?.setItem(NAME_KEY, name);
