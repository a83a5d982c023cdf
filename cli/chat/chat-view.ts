import type { Message, RoomName, UserId } from "../../contract/index.js";
import type { Failure } from "../failure.js";
import type { Output } from "../output/output.js";
import type { LineInput } from "./line-input.js";
import { messageLine } from "./message-text.js";

/** What `chat` shows of a room: JSON records, or lines above the prompt. */
export class ChatView {
  private online: number | undefined;

  constructor(
    private readonly output: Output,
    private readonly input: LineInput,
    private readonly room: RoomName,
    private readonly self: UserId,
  ) {}

  message(message: Message): void {
    if (this.output.json) this.output.record("message", { message });
    else this.input.print(messageLine(this.output, message, this.self));
  }

  /** Shown when the count changes: a rejoin repeats it. */
  presence(online: number): void {
    if (online === this.online) return;
    this.online = online;
    if (this.output.json) this.output.record("presence", { room: this.room, online });
    else this.note(`${online} online`);
  }

  truncated(): void {
    if (this.output.json) this.output.record("truncated", { room: this.room });
    else this.note("older messages are no longer kept");
  }

  /** A line the room did not take: on stderr, or in red above the prompt. */
  refused(failure: Failure): void {
    if (this.output.terminal)
      this.input.print(this.output.paint("red", `not sent: ${failure.message}`));
    else this.output.fail(failure);
  }

  private note(text: string): void {
    this.input.print(this.output.paint("dim", `· ${text}`));
  }
}
