import type { UserId } from "../../contract/index.js";
import { Chat } from "../chat.js";
import { Connection } from "../connection.js";
import { MatchdayError } from "../matchday-error.js";

/** The token lives in this tab at most (sessionStorage), and never in a URL. */
const TOKEN_KEY = "matchday:moderatorToken";

export interface SignInElements {
  /** Shown until a token is accepted. */
  panel: HTMLElement;
  form: HTMLFormElement;
  token: HTMLInputElement;
  remember: HTMLInputElement;
  state: HTMLElement;
}

/**
 * Offers the moderator sign-in, and signs in at once with a token kept in
 * this tab. Once the handshake accepts a token, calls `granted` with a
 * `Chat` on a connection of its own: the page's reading connection stays
 * as it was, so a refused or forgotten token never costs the reader the room.
 */
export function offerModeratorSignIn(
  elements: SignInElements,
  userId: UserId,
  granted: (chat: Chat) => void,
): void {
  const { panel, form, token, remember, state } = elements;
  const signIn = async (value: string, keep: boolean) => {
    state.textContent = "Connecting…";
    const connection = new Connection(location.origin, { token: value, userId });
    try {
      connection.chat();
      await connection.ready();
    } catch (err) {
      connection.close();
      sessionStorage.removeItem(TOKEN_KEY);
      state.textContent =
        err instanceof MatchdayError && err.code === "unauthorized"
          ? "That token was refused."
          : `Could not connect: ${(err as Error).message}`;
      return;
    }
    if (keep) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
    panel.hidden = true;
    granted(new Chat(connection));
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void signIn(token.value, remember.checked);
  });
  const kept = sessionStorage.getItem(TOKEN_KEY);
  if (kept) void signIn(kept, true);
}
