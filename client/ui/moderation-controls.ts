import type { Message } from "../../contract/index.js";
import { h } from "./h.js";

/** How long the match page's one-click mute lasts. */
export const MUTE_MINUTES = 10;

/** What a moderator's clicks on a message do. */
export interface Moderation {
  delete(message: Message): void;
  mute(message: Message): void;
}

/** The delete and mute buttons of one message; no mute on the reader's own (`own`). */
export function moderationControls(
  message: Message,
  moderation: Moderation,
  own: boolean,
): HTMLElement {
  const { name } = message.user;
  const button = (text: string, label: string, run: () => void) => {
    const element = h("button", { type: "button", "aria-label": label }, text);
    element.addEventListener("click", run);
    return element;
  };
  const controls = h(
    "p",
    { class: "moderation" },
    button("Delete", `Delete message by ${name}`, () => moderation.delete(message)),
  );
  if (!own) {
    const mute = `Mute ${MUTE_MINUTES} min`;
    controls.append(button(mute, `${mute}: ${name}`, () => moderation.mute(message)));
  }
  return controls;
}
