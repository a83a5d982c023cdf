import type { Message, UserId } from "../../contract/index.js";
import type { Output } from "../output/output.js";
import { printable } from "../output/printable.js";

const clock = (iso: string) =>
  new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hour12: false });

/** "20:41 ana: what a goal", the name coloured, yours apart from the others'. */
export function messageLine(output: Output, message: Message, self: UserId): string {
  const name = output.paint(
    message.user.id === self ? "green" : "cyan",
    printable(message.user.name),
  );
  return `${output.paint("dim", clock(message.ts))} ${name}: ${printable(message.text)}`;
}
