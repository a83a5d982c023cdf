import { monotonicMs } from "../support/clock.js";
import { dialectFor } from "../wire/dialects.js";
import { HostileSocket } from "./hostile-socket.js";
import type { FloodCounts, FloodSpec, FlooderMessage } from "./protocol.js";

/**
 * A hostile client process: `sockets` connections flooding one server with
 * `subscribe` events (see {@link HostileSocket}) until the runner says stop,
 * then it reports what it did and exits. It runs on the load core under
 * SCHED_IDLE, so it floods with whatever time the viewers and the runner
 * leave, and never delays them.
 */

const spec = JSON.parse(process.argv[2]) as FloodSpec;
const dialect = dialectFor(spec.dialect, "match");
// A valid event every socket may send: the limiter, not validation, has to stop it.
const frame = dialect.emitFrame("subscribe", 1, { ids: ["x"] });
const counts: FloodCounts = {
  seconds: 0,
  sent: 0,
  answered: 0,
  refused: 0,
  sessions: 0,
  disconnects: 0,
};
let floodingSince: number | undefined;

const sockets = Array.from(
  { length: spec.sockets },
  () =>
    new HostileSocket(spec.port, dialect, frame, spec.inFlight, counts, () => {
      if (floodingSince !== undefined) return;
      floodingSince = monotonicMs();
      process.send!({ type: "flooding" } satisfies FlooderMessage);
    }),
);
for (const socket of sockets) socket.start();

// The runner's one message: stop.
process.on("message", () => {
  for (const socket of sockets) socket.stop();
  counts.seconds = (monotonicMs() - (floodingSince ?? monotonicMs())) / 1000;
  const stopped: FlooderMessage = { type: "stopped", ...counts };
  process.send!(stopped, () => process.exit(0));
});
// The runner is gone (even if killed): nobody to flood for.
process.on("disconnect", () => process.exit(0));
