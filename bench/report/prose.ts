import type { BenchOptions } from "../options.js";
import { whole } from "./format.js";

/** The report's fixed prose: how it was measured and what that cannot tell. */

export const METHOD = ({
  runs,
  levels,
  fanout,
  disturbance,
}: BenchOptions) => `- **Servers under test**, each a child process pinned with \`taskset\` to core 0, on a free port of 127.0.0.1, fresh for every run, all three broadcasting the same \`Match\` JSON (about 170 bytes) without per-message deflate:
  - **matchday**: \`node dist/server/index.js\`, state in memory when alone, in Redis with the Redis adapter when two instances share it.
  - **Socket.IO + Redis adapter** ([bench/baselines/socketio-redis-server.ts](../bench/baselines/socketio-redis-server.ts)): what copying the Socket.IO docs gives: a default \`new Server(httpServer)\`, \`createAdapter(pub, sub)\` on node-redis clients (even alone: one Redis \`PUBLISH\` per update), \`socket.join\` on subscribe, \`io.to(id).emit("match", match)\` on publish. No validation, limits or recovery.
  - **bare ws** ([bench/baselines/ws-broadcast-server.ts](../bench/baselines/ws-broadcast-server.ts)), the ceiling: a \`ws\` server, a set of subscribers per match, the match serialized once per update and \`send\` in a loop. No protocol at all.
- **Load generator** ([bench/load/](../bench/load/)): child processes pinned to core 1 holding every viewer on a raw \`ws\` socket that speaks Engine.IO v4 / Socket.IO v5 frames by hand (plain JSON frames for bare ws), recognizing a delivery from its first bytes without parsing it. Connections open ${fanout.concurrency} at a time; each viewer subscribes to the one match and waits for the ack. The runner (publisher, measurement) and a private \`redis-server\` (no persistence) share core 1. Every process's CPU time is read from \`/proc/<pid>/stat\`; the busiest one is named per level, so a saturated load core is visible.
- **Memory per idle viewer**: server RSS (\`VmRSS\`) with the viewers connected and subscribed minus RSS before any connected, each read right after a full GC (a preloaded \`--expose-gc\` hook run on SIGUSR2, the same for every server), divided by the viewers.
- **Connects/s**: viewers connected and subscribed (ack received) per second, from the first connection started to the last ack.
- **Latency**: one publisher socket sends score changes at a fixed ${whole(fanout.latencyDeliveriesPerSecond)} deliveries/s (${fanout.latencyDeliveriesPerSecond / 10_000} updates/s at 10,000 viewers) for ${fanout.latencySeconds} s, one at a time (each after the previous ack). Latency runs from when the update was asked for to when each viewer read it (both on the machine's monotonic clock); p50/p99/max over every delivery.
- **Sustained rate**: closed loop: the next update is published as soon as the previous one is answered, as long as few enough updates are still on their way to viewers (about ${whole(fanout.deliveriesInFlight)} deliveries), for ${fanout.throughputSeconds} s; so the server always has work and the viewers bound the queue. Deliveries per second from the first publish to the last arrival; server CPU time over the phase divided by deliveries gives CPU µs per delivery. It counts as sustained (no ⚠) when nothing was lost and p99 stayed under 1 s.
- **Levels**: ${levels.map(whole).join(", ")} viewers of one match; two instances (viewers split evenly, publishing on the first) at the top level. ${runs} run${runs === 1 ? "" : "s"} of everything, interleaved (every server at a level before the next repetition), medians reported.
- **Disturbance**: \`/proc/stat\` gives each core's busy time; whatever the measured processes did not use is other work (or the hypervisor's steal). Each measured run (fan-out, flood isolation, failover, catch-up) first waits up to ${disturbance.quietWaitMs / 1000} s for no core to be busier than ${disturbance.percent} %; a run during which other work still took more than ${disturbance.percent} % of a core is discarded and run again, once, as long as the bench has spent under ${disturbance.patienceMs / 1000} s waiting and repeating. The "other work" columns show the most any kept run saw: read rows with a high share with care.`;

export const LIMITATIONS = `- Two cores: the load generator, the runner and Redis share one. Where that core is near 100 % (last column), the load generator, not the server, sets the sustained rate: that number is then a lower bound for the server (typically bare ws, whose server does the least work).
- The open-file limit is 20,000 per process (hard limit, not raisable here), so no single instance can hold 20,000 viewers; levels stop at 10,000.
- Loopback TCP: no network latency or bandwidth limit. The kernel's work for each send, the loopback receive path included (it runs in softirq on the sender's core), is mostly charged to the sending server; the rest shows as other work on core 0.
- Latency includes the load generator's own time to read thousands of frames that arrive together.
- Run-to-run spread is wide at 10,000 viewers (the sustained columns show the lowest and highest run in parentheses): a ratio between matchday and Socket.IO inside that spread is not resolved by three runs on this machine.
- RSS after a GC still includes allocator slack, V8 heap headroom and code compiled while connecting: per-viewer numbers at the smallest level are inflated by that fixed cost and the noisiest; the top level is the one to read.
- One match, one payload size, one publisher, which waits for each ack before the next publish. (An instance applies the publishes of one match one at a time, in the order they arrived, so a publisher that does not wait queues behind its own updates; a real score feed sends far fewer updates per match.)
- The machine may be shared with other work; the load average at the start is given above.
- The Socket.IO baseline uses the Redis adapter even alone, as the docs set it up; matchday alone keeps state in memory. Either way Redis costs per update, not per delivery.`;
