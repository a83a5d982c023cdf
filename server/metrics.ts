import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface ConnectionCount {
  namespace: string;
  transport: string;
  count: number;
}

export interface MetricSources {
  /** Counted at scrape time, so nothing is tracked per connection. */
  connections(): ConnectionCount[];
  /** Absent in memory mode. */
  redisUp?: () => boolean;
}

/** Every Prometheus metric of one app, in its own registry. */
export function createMetrics(sources: MetricSources) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "matchday_" });
  const registers = [registry];
  const { redisUp } = sources;
  if (redisUp) {
    new Gauge({
      name: "matchday_redis_up",
      help: "1 when Redis answers, 0 when it does not",
      registers,
      collect() {
        this.set(redisUp() ? 1 : 0);
      },
    });
  }
  return {
    registry,
    connections: new Gauge({
      name: "matchday_connections",
      help: "Connected sockets by namespace and transport",
      labelNames: ["namespace", "transport"] as const,
      registers,
      collect() {
        this.reset();
        for (const { namespace, transport, count } of sources.connections()) {
          this.set({ namespace, transport }, count);
        }
      },
    }),
    eventsIn: new Counter({
      name: "matchday_events_in_total",
      help: "Client events received, by namespace and event",
      labelNames: ["namespace", "event"] as const,
      registers,
    }),
    eventsOut: new Counter({
      name: "matchday_events_out_total",
      help: "Server events delivered to sockets, by namespace and event",
      labelNames: ["namespace", "event"] as const,
      registers,
    }),
    fanoutReceived: new Counter({
      name: "matchday_fanout_received_total",
      help: "Relay items (match versions, messages, deletions) received from other instances through Redis, by namespace and event",
      labelNames: ["namespace", "event"] as const,
      registers,
    }),
    acks: new Counter({
      name: "matchday_acks_total",
      help: "Acknowledgements sent, by namespace, event and result (ok or an error code)",
      labelNames: ["namespace", "event", "result"] as const,
      registers,
    }),
    publishToEmit: new Histogram({
      name: "matchday_publish_to_emit_seconds",
      help: "Time from a change being stored to its emission on this instance",
      labelNames: ["namespace"] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    repairs: new Counter({
      name: "matchday_repairs_total",
      help: "Deliveries repaired from storage after a lost broadcast, by namespace",
      labelNames: ["namespace"] as const,
      registers,
    }),
    slowDisconnects: new Counter({
      name: "matchday_slow_socket_disconnects_total",
      help: "Sockets disconnected for letting more than the outgoing cap queue up",
      registers,
    }),
    supersededDropped: new Counter({
      name: "matchday_superseded_dropped_total",
      help: "Queued score versions dropped for slow sockets because a newer one was queued",
      registers,
    }),
    handshakeRejections: new Counter({
      name: "matchday_handshake_rejections_total",
      help: "Refused handshakes, by reason",
      labelNames: ["reason"] as const,
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
