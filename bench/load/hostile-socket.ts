import WebSocket from "ws";
import { socketUrl } from "../wire/connection.js";
import { FrameKind, type Dialect } from "../wire/dialect.js";
import type { FloodCounts } from "./protocol.js";

const REFUSED = Buffer.from('"rate_limited"');

/**
 * One flooding client of a Socket.IO server: once in the namespace it writes
 * the same event frame again and again, as fast as the server answers (at
 * most `inFlight` unanswered, so the server never runs out of input), and
 * connects again at once whenever the server closes it. Unlike a
 * {@link Connection} it keeps no ack ids, promises or timers: every event is
 * one write, so its process spends its time flooding.
 */
export class HostileSocket {
  private ws: WebSocket | undefined;
  private stopped = false;

  constructor(
    private readonly port: number,
    private readonly dialect: Dialect,
    /** The event, framed once; the same ack id every time (the server does not care). */
    private readonly frame: string,
    private readonly inFlight: number,
    private readonly counts: FloodCounts,
    /** Called whenever a connection gets into the namespace and starts flooding. */
    private readonly onSession: () => void,
  ) {}

  start(): void {
    const ws = new WebSocket(socketUrl(this.port, this.dialect), {
      perMessageDeflate: false,
      skipUTF8Validation: true,
    });
    this.ws = ws;
    let unanswered = 0;
    let inSession = false;
    const pump = () => {
      while (unanswered < this.inFlight && ws.readyState === WebSocket.OPEN) {
        ws.send(this.frame);
        unanswered++;
        this.counts.sent++;
      }
    };
    ws.on("message", (data: Buffer) => {
      switch (this.dialect.classify(data)) {
        case FrameKind.SessionOpen:
          return ws.send(this.dialect.connectFrame(undefined)!);
        case FrameKind.Connected:
          inSession = true;
          this.counts.sessions++;
          this.onSession();
          return pump();
        case FrameKind.Ack:
          unanswered--;
          this.counts.answered++;
          if (data.includes(REFUSED)) this.counts.refused++;
          return pump();
        case FrameKind.Ping:
          return ws.send(this.dialect.pong);
        // A flooder reads nothing else: refusals come as acks, events are not asked for.
        case FrameKind.Refused:
        case FrameKind.Tracked:
        case FrameKind.Other:
          return;
      }
    });
    // Every failure ends in "close", which connects again.
    ws.on("error", () => {});
    ws.on("close", () => {
      if (this.stopped) return;
      if (inSession) this.counts.disconnects++;
      this.start();
    });
  }

  stop(): void {
    this.stopped = true;
    this.ws?.terminate();
  }
}
