import type { Message, UserId } from "../../contract/index.js";
import { h } from "../ui/h.js";

const time = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

/** The message list of a room; message text and names go in as text, never as markup. */
export class ChatView {
  constructor(
    private readonly list: HTMLElement,
    private readonly self: UserId,
  ) {}

  add(message: Message): void {
    const { list } = this;
    // Follow new messages only if the reader has not scrolled up to read older ones.
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    list.append(
      h(
        "li",
        {
          class: message.user.id === this.self ? "message mine" : "message",
          "data-seq": String(message.seq),
        },
        h(
          "p",
          { class: "meta" },
          h("span", { class: "author" }, message.user.name),
          " ",
          h("time", { datetime: message.ts }, time.format(new Date(message.ts))),
        ),
        h("p", { class: "text" }, message.text),
      ),
    );
    if (atBottom) list.scrollTop = list.scrollHeight;
  }
}
