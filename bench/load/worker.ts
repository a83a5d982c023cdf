import { monotonicMs } from "../support/clock.js";
import { dialectFor } from "../wire/dialects.js";
import { Arrivals } from "./arrivals.js";
import { HeldWatch } from "./held-watch.js";
import type {
  Anomalies,
  CommandName,
  Commands,
  ConnectReport,
  ViewerGroup,
  WorkerMessage,
  WorkerRequest,
} from "./protocol.js";
import { subscriptionFor, type SubscriptionKind } from "./subscription.js";
import { Viewer, type ViewerSink } from "./viewer.js";

/**
 * A load-generator process: it holds thousands of viewers on raw WebSockets
 * and answers the runner's commands over IPC. It runs pinned to a core of
 * its own, away from the servers it measures.
 */

/** Reports still queued when the runner goes away are dropped with it. */
const send = (message: WorkerMessage) => {
  if (process.connected) process.send!(message);
};

let viewers: Viewer[] = [];
let anomalies: Anomalies = { disorder: 0, drops: 0 };

/** The anomaly counters so far; counting starts again from zero. */
function takeAnomalies(): Anomalies {
  const taken = anomalies;
  anomalies = { disorder: 0, drops: 0 };
  return taken;
}
const arrivals = new Arrivals((position, at) => send({ type: "complete", position, at }));
const watch = new HeldWatch((state) => send({ type: "held", ...state }));

/** Where viewers of one kind of subscription report. */
const sinkFor = (kind: SubscriptionKind): ViewerSink => ({
  moved(from, to, live) {
    if (live && arrivals.recording) arrivals.record(to, monotonicMs(), kind);
    watch.moved(from, to);
  },
  disorder() {
    anomalies.disorder++;
  },
  up: () => watch.down(-1),
  down(unexpected) {
    if (unexpected) anomalies.drops++;
    watch.down(1);
  },
});

/** Runs `start` for every viewer, `concurrency` at a time; drops the viewers that failed. */
async function startAll(
  list: Viewer[],
  concurrency: number,
  start: (viewer: Viewer) => Promise<void>,
): Promise<ConnectReport> {
  const started = monotonicMs();
  const failed = new Set<Viewer>();
  let firstError: string | undefined;
  let next = 0;
  const lane = async () => {
    while (next < list.length) {
      const viewer = list[next++];
      try {
        await start(viewer);
      } catch (err) {
        failed.add(viewer);
        firstError ??= (err as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, list.length) }, lane));
  const finished = monotonicMs();
  for (const viewer of failed) {
    viewer.stop();
    watch.forget(viewer.held);
  }
  viewers = viewers.filter((viewer) => !failed.has(viewer));
  return {
    started,
    finished,
    connected: list.length - failed.size,
    failed: failed.size,
    ...(firstError === undefined ? {} : { firstError }),
  };
}

function createViewers(group: ViewerGroup): Viewer[] {
  const subscription = subscriptionFor(group.subscription);
  const dialect = dialectFor(group.dialect, subscription.event);
  const sink = sinkFor(group.subscription.kind);
  return Array.from(
    { length: group.count },
    () => new Viewer(group.port, dialect, subscription, sink, group.failoverPort),
  );
}

const handlers: {
  [K in CommandName]: (args: Commands[K]["args"]) => Promise<Commands[K]["reply"]>;
} = {
  async connect({ groups, concurrency }) {
    const fresh = groups.flatMap(createViewers);
    viewers.push(...fresh);
    return startAll(fresh, concurrency, (viewer) => viewer.start());
  },
  async record({ from }) {
    const expected = viewers.filter((viewer) => viewer.subscribed).length;
    arrivals.start(from, expected);
    takeAnomalies();
    return { expected };
  },
  async collect({ published }) {
    return { ...arrivals.collect(published), ...takeAnomalies() };
  },
  async anomalies() {
    return takeAnomalies();
  },
  async watch() {
    const down = viewers.filter((viewer) => !viewer.subscribed).length;
    return watch.start(
      viewers.map((viewer) => viewer.held),
      down,
    );
  },
  async disconnect() {
    for (const viewer of viewers) viewer.stop();
    return {};
  },
  async reconnect({ concurrency, attempts }) {
    return startAll(viewers, concurrency, (viewer) => viewer.start(attempts));
  },
  async close() {
    watch.stop();
    for (const viewer of viewers) viewer.stop();
    viewers = [];
    return {};
  },
};

process.on("message", (request: WorkerRequest) => {
  const handler = handlers[request.command] as (args: object) => Promise<object>;
  handler(request.args).then(
    (body) => send({ type: "reply", id: request.id, body }),
    (err: Error) => send({ type: "failed", id: request.id, error: err.message }),
  );
});
// The runner is gone (even if killed): nothing left to measure.
process.on("disconnect", () => process.exit(0));
