import type { Message, UserId } from "../../contract/index.js";
import { h } from "../ui/h.js";
import { moderationControls, type Moderation } from "../ui/moderation-controls.js";
import { verifiedBadge } from "../ui/verified-badge.js";

const time = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

/** "18:42" in the reader's locale. */
export const timeOfDay = (date: Date): string => time.format(date);

interface Shown {
  message: Message;
  item: HTMLLIElement;
}

/**
 * The message list of a room; message text and names go in as text, never
 * as markup. A message a moderator removed is not shown at all: its
 * tombstone is skipped and a live deletion takes it out of the list.
 */
export class ChatView {
  private readonly shown = new Map<number, Shown>();
  private moderation: Moderation | undefined;

  constructor(
    private readonly list: HTMLElement,
    private readonly self: UserId,
  ) {}

  add(message: Message): void {
    if (message.deleted) return;
    const { list } = this;
    // Follow new messages only if the reader has not scrolled up to read older ones.
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    const { user } = message;
    const item = h(
      "li",
      {
        class: user.id === this.self ? "message mine" : "message",
        "data-seq": String(message.seq),
      },
      h(
        "p",
        { class: "meta" },
        h("span", { class: "author" }, user.name),
        ...(user.verified ? [" ", verifiedBadge()] : []),
        " ",
        h("time", { datetime: message.ts }, timeOfDay(new Date(message.ts))),
      ),
      h("p", { class: "text" }, message.text),
    );
    this.shown.set(message.seq, { message, item });
    if (this.moderation) this.addControls({ message, item }, this.moderation);
    list.append(item);
    if (atBottom) list.scrollTop = list.scrollHeight;
  }

  /** Takes a message a moderator removed out of the list. */
  remove(seq: number): void {
    this.shown.get(seq)?.item.remove();
    this.shown.delete(seq);
  }

  /** Gives every message, shown and to come, a moderator's controls. */
  moderate(moderation: Moderation): void {
    this.moderation = moderation;
    for (const shown of this.shown.values()) this.addControls(shown, moderation);
  }

  private addControls({ message, item }: Shown, moderation: Moderation): void {
    item.append(moderationControls(message, moderation, message.user.id === this.self));
  }
}
