import { median } from "../stats/median.js";
import { decimal, whole } from "./format.js";
import { markdownTable } from "./markdown-table.js";
import type { BenchResults } from "./results.js";

/** The failover and chat catch-up runs, with what went wrong in them. */
export function recoverySection({ recovery, chat, failures, options }: BenchResults): string {
  const parts: string[] = [];
  if (recovery.length > 0) {
    parts.push(
      `**Failover.** ${whole(recovery[0].viewers)} viewers split over two matchday instances on Redis, ` +
        `${options.recoveryRate} updates/s published on the first; the second is SIGKILLed. Its viewers reconnect ` +
        "to the first with socket.io-client's default backoff (1 s ± 50 %, doubling) and subscribe with " +
        "the `versions` they hold. Times from the SIGKILL.",
      markdownTable(
        [
          "Run",
          "Moved viewers",
          "All subscribed again, s",
          "All hold the latest, s",
          "Listen-queue overflows",
          "SYN retransmits",
          "Busiest process",
          "Other work",
          "Out of order",
          "Dropped",
        ],
        [
          ...recovery.map((run, index) => [
            String(index + 1),
            whole(run.moved),
            decimal(run.resubscribedMs / 1000, 2),
            decimal(run.latestMs / 1000, 2),
            whole(run.listenOverflows),
            whole(run.synRetransmits),
            `${run.loads[0].name} ${whole(run.loads[0].percent)}%`,
            `${whole(run.foreignPercent)}%`,
            whole(run.disorder),
            whole(run.drops),
          ]),
          [
            "median",
            whole(median(recovery.map((run) => run.moved))),
            decimal(median(recovery.map((run) => run.resubscribedMs)) / 1000, 2),
            decimal(median(recovery.map((run) => run.latestMs)) / 1000, 2),
            whole(median(recovery.map((run) => run.listenOverflows))),
            whole(median(recovery.map((run) => run.synRetransmits))),
            "",
            "",
            "",
            "",
          ],
        ],
      ),
      "Listen-queue overflows and SYN retransmits are the kernel's machine-wide counters " +
        "(`/proc/net/netstat`) over the same time: connections refused by a full accept queue, whose " +
        "clients then wait 1 s, 3 s, 7 s... before their SYN is sent again. Dropped viewers should equal " +
        "the moved ones; out-of-order counts versions a viewer saw twice or after a newer one.",
    );
    const failed = recovery.flatMap((run) => run.errors);
    if (failed.length > 0) parts.push(failed.map((error) => `- ❌ ${error}`).join("\n"));
  }
  if (chat.length > 0) {
    const first = chat[0];
    parts.push(
      `**Chat catch-up.** ${whole(first.members)} members of one room over two instances on Redis ` +
        `disconnect; ${whole(first.missed)} messages are posted by distinct users meanwhile; every member ` +
        "reconnects at once and joins with `since` = the last seq it holds; a member whose join is refused " +
        "(`unavailable`) or times out tries again with socket.io-client's backoff. Times from the first reconnect; " +
        "Redis work from `INFO` (`total_commands_processed`, `used_cpu_user + used_cpu_sys`) over the catch-up.",
      markdownTable(
        [
          "Run",
          "Members",
          "Missed",
          "All caught up, s",
          "Joins/s, retries included",
          "Redis commands",
          "Commands/member",
          "Redis CPU ms",
          "Server CPU ms",
          "Other work",
          "Out of order",
        ],
        [
          ...chat.map((run, index) => [
            String(index + 1),
            whole(run.members),
            whole(run.missed),
            decimal(run.catchUpMs / 1000, 2),
            whole(run.joinsPerSecond),
            whole(run.redisCommands),
            decimal(run.redisCommands / run.members),
            whole(run.redisCpuMs),
            whole(run.serverCpuMs),
            `${whole(run.foreignPercent)}%`,
            whole(run.disorder),
          ]),
          [
            "median",
            "",
            "",
            decimal(median(chat.map((run) => run.catchUpMs)) / 1000, 2),
            whole(median(chat.map((run) => run.joinsPerSecond))),
            whole(median(chat.map((run) => run.redisCommands))),
            decimal(median(chat.map((run) => run.redisCommands / run.members))),
            whole(median(chat.map((run) => run.redisCpuMs))),
            whole(median(chat.map((run) => run.serverCpuMs))),
            "",
            "",
          ],
        ],
      ),
    );
  }
  const chatErrors = chat.flatMap((run) => run.errors);
  if (chatErrors.length > 0) parts.push(chatErrors.map((error) => `- ❌ ${error}`).join("\n"));
  const failed = failures.filter(
    (failure) => failure.scenario === "recovery" || failure.scenario === "chat",
  );
  if (failed.length > 0) {
    parts.push(
      failed.map((failure) => `- ❌ ${failure.scenario} run failed: ${failure.error}`).join("\n"),
    );
  }
  return parts.join("\n\n") || "Not run.";
}
