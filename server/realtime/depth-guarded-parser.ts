import { Decoder, Encoder, PacketType } from "socket.io-parser";
import { nestsDeeperThan } from "./payload.js";

const BINARY_TYPES = new Set([String(PacketType.BINARY_EVENT), String(PacketType.BINARY_ACK)]);

/**
 * socket.io-parser with one guard: a binary packet whose JSON nests deeper
 * than `maxDepth` is handed on with that JSON cut to `maxDepth + 1` levels.
 *
 * The parser rebuilds a binary packet's attachments by recursion over its
 * JSON: a few thousand levels overflow the stack there (on Node 24 at 5,000)
 * and the connection is closed, where the same payload sent as text is
 * answered `bad_request` by the router's depth check. Cut short, it gets that
 * same answer, on every Node version. Text packets pass untouched.
 */
export function depthGuardedParser(maxDepth: number): {
  Encoder: typeof Encoder;
  Decoder: typeof Decoder;
} {
  // An object holding `maxDepth` nested arrays: one level past the limit.
  const tooDeep = JSON.stringify({
    cut: Array.from({ length: maxDepth - 1 }).reduce<unknown>((inner) => [inner], []),
  });
  class DepthGuardedDecoder extends Decoder {
    override add(packet: unknown): void {
      if (typeof packet === "string" && BINARY_TYPES.has(packet[0] ?? "")) {
        const start = packet.indexOf("[");
        const data: unknown = start < 0 ? undefined : safeParse(packet.slice(start));
        if (Array.isArray(data) && nestsDeeperThan(data, maxDepth + 1)) {
          const [event] = data as unknown[];
          return super.add(`${packet.slice(0, start)}[${JSON.stringify(event)},${tooDeep}]`);
        }
      }
      super.add(packet);
    }
  }
  return { Encoder, Decoder: DepthGuardedDecoder };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
