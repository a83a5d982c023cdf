import { expect } from "chai";
import { TEXT_MAX } from "../../../contract/index.js";
import { call, chatter } from "../../support/clients.js";
import { sleep } from "../../support/stream.js";
import { waitFor } from "../../support/wait.js";

const text = "x".repeat(TEXT_MAX);

/** The counter of sockets the slow-socket guard disconnected. */
export const SLOW_SOCKET_DISCONNECTS = "matchday_slow_socket_disconnects_total";

/** Environment that lets one socket send (and publish) fast enough to outrun a slow one. */
export const FAST_SENDER = {
  SOCKET_EVENT_BURST: "5000",
  PUBLISHER_EVENT_BURST: "5000",
  CHAT_MESSAGE_BURST: "5000",
};

/**
 * Joins `room` (where a member that does not read waits) and sends it
 * messages of the longest text until that member is dropped: its presence
 * leaves the sender alone in the room. Resolves with the messages it took.
 * `pauseMs` between sends bounds how much the sender adds while the guard's
 * next check is due.
 */
export async function floodUntilDropped(url: string, room: string, pauseMs = 0): Promise<number> {
  const sender = await chatter(url);
  try {
    expect((await call(sender, "join", { room })).online).to.equal(2);
    let dropped = false;
    const alone = waitFor(sender, "presence", 10_000, (p: { online: number }) => p.online === 1);
    void alone.then(() => (dropped = true)).catch(() => undefined);
    let sent = 0;
    while (!dropped && sent < 10_000) {
      const answer = await call(sender, "send", { room, text });
      expect(answer.ok, JSON.stringify(answer)).to.equal(true);
      sent++;
      if (pauseMs > 0) await sleep(pauseMs);
    }
    await alone;
    return sent;
  } finally {
    sender.disconnect();
  }
}
