import type { Ack, Message } from "../../contract/index.js";
import { okBody } from "../load/subscription.js";
import { monotonicMs, sleep } from "../support/clock.js";
import { CpuMeter, foreignPercent } from "../support/cpu-meter.js";
import { Connection } from "../wire/connection.js";
import { dialectFor } from "../wire/dialects.js";
import { CHAT_DIALECT, matchday } from "../targets/matchday.js";
import { benchProcesses, splitViewers, withDeployment, type BenchContext } from "./fanout.js";
import { HeldMonitor } from "./held-monitor.js";

const CHAT_ROOM = "match:m1";

export interface ChatCatchUpPlan {
  members: number;
  /** Distinct users posting (each user may post 10 at once, then 5 per second). */
  senders: number;
  /** Messages posted while the members are away. */
  messages: number;
  concurrency: number;
  timeoutMs: number;
}

export interface ChatCatchUpResult {
  members: number;
  missed: number;
  /** From the first reconnect until every member held the last message, ms; NaN if not in time. */
  catchUpMs: number;
  /** Members reconnected and joined per second. */
  joinsPerSecond: number;
  redisCommands: number;
  redisCpuMs: number;
  serverCpuMs: number;
  /** The most of a core other work took meanwhile, percent. */
  foreignPercent: number;
  /** Messages that came twice, out of order, or after a hole. */
  disorder: number;
  errors: string[];
  warnings: string[];
}

/**
 * A member whose join is refused (`unavailable`) or times out tries again
 * with the client's backoff, as an application would; this many times in
 * all (about 30 s) before it counts as failed.
 */
const REJOIN_ATTEMPTS = 8;

/** Rate-limited sends wait this long before trying again. */
const RETRY_MS = 250;

/**
 * A chat room of members spread over two matchday instances on Redis. They
 * disconnect; messages are posted meanwhile; they all reconnect and join
 * with `since` = the last seq they hold. Measures the time until every
 * member holds the last message, and the Redis work that took.
 */
export async function runChatCatchUp(
  plan: ChatCatchUpPlan,
  { pool, redis }: BenchContext,
): Promise<ChatCatchUpResult> {
  return withDeployment(matchday, "pair", { pool, redis }, async (deployment) => {
    const { servers } = deployment;
    const senders: Connection[] = [];
    let monitor: HeldMonitor | undefined;
    try {
      const dialect = dialectFor(CHAT_DIALECT, "message");
      for (let i = 0; i < plan.senders; i++) {
        const auth = { userId: `bench-sender-${String(i).padStart(4, "0")}` };
        senders.push(new Connection(servers[0].port, dialect, auth));
      }
      await Promise.all(senders.map((sender) => sender.ready));
      await Promise.all(senders.map((sender) => sender.emit("join", { room: CHAT_ROOM })));

      const groups = splitViewers(servers, plan.members, {
        dialect: CHAT_DIALECT,
        subscription: { kind: "chat", room: CHAT_ROOM },
      });
      const joined = await pool.connect(groups, plan.concurrency);
      if (joined.failed > 0)
        throw new Error(`${joined.failed} members failed to join: ${joined.firstError}`);
      monitor = await HeldMonitor.start(pool);

      // Every member holds something before it leaves, so it rejoins with `since`.
      const head = await postAll(senders, plan.senders);
      await monitor.when((m) => m.min >= head, 10_000, "members received the first messages");
      await pool.all("disconnect", {});
      await monitor.when((m) => m.down === joined.connected, 10_000, "members disconnected");
      const last = await postAll(senders, plan.messages);
      await pool.anomalies();

      const meter = new CpuMeter(benchProcesses(servers, { pool, redis }));
      const before = await redis.stats();
      meter.start();
      const startedAt = monotonicMs();
      const watched = monitor;
      const errors: string[] = [];
      const caughtUp = watched
        .when((m) => m.down === 0 && m.min >= last, plan.timeoutMs, "every member caught up")
        .catch((err: Error) => {
          errors.push(
            `${err.message} (${watched.down} members down, the lowest at ${watched.min})`,
          );
          return Number.NaN;
        });
      const rejoined = await pool.reconnect(plan.concurrency, REJOIN_ATTEMPTS);
      if (rejoined.failed > 0) {
        errors.push(`${rejoined.failed} members never got back in: ${rejoined.firstError}`);
      }
      const caughtUpAt = await caughtUp;
      const cpu = meter.stop();
      const after = await redis.stats();
      const anomalies = await pool.anomalies();
      return {
        members: joined.connected,
        missed: last - head,
        catchUpMs: caughtUpAt - startedAt,
        joinsPerSecond: (1000 * rejoined.connected) / (rejoined.finished - rejoined.started),
        redisCommands: after.commands - before.commands,
        redisCpuMs: after.cpuMs - before.cpuMs,
        serverCpuMs: cpu.serverCpuMs,
        foreignPercent: foreignPercent(cpu),
        disorder: anomalies.disorder,
        errors,
        warnings: servers.flatMap((server) => server.warnings),
      };
    } finally {
      monitor?.stop();
      for (const sender of senders) sender.close();
    }
  });
}

/** Posts `count` messages spread over the senders, each sender one at a time; answers the last seq. */
async function postAll(senders: readonly Connection[], count: number): Promise<number> {
  let last = 0;
  await Promise.all(
    senders.map(async (sender, index) => {
      for (let n = index; n < count; n += senders.length) {
        const { message } = await send(sender, `what a match, message ${n + 1}`);
        last = Math.max(last, message.seq);
      }
    }),
  );
  return last;
}

/** Sends one message, waiting out the per-user rate limit. */
async function send(sender: Connection, text: string): Promise<{ message: Message }> {
  for (;;) {
    const ack = (await sender.emit("send", { room: CHAT_ROOM, text })) as Ack<{ message: Message }>;
    if (ack.ok || ack.error.code !== "rate_limited") return okBody(ack);
    await sleep(RETRY_MS);
  }
}
