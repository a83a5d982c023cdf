import { createClient } from "redis";
import { RedisServer } from "../../scripts/redis-server.js";
import { onCleanup, trackPid } from "./cleanup.js";
import type { Measured } from "./cpu-meter.js";
import { pin } from "./pinned-node.js";

type Client = Awaited<ReturnType<RedisServer["client"]>>;

/** Redis's own counters, read from `INFO`. */
export interface RedisStats {
  /** `total_commands_processed`. */
  commands: number;
  /** `used_cpu_user` + `used_cpu_sys`, in ms. */
  cpuMs: number;
}

/**
 * A private `redis-server` for the whole bench run (never the machine's
 * shared one), without persistence, pinned to the load core so the server
 * core measures the servers alone. Flushed between runs.
 */
export class BenchRedis {
  private constructor(
    private readonly server: RedisServer,
    private readonly client: Client,
    readonly pid: number,
    private readonly core: number,
  ) {}

  static async start(core: number): Promise<BenchRedis> {
    const server = await RedisServer.start();
    const client = await server.client();
    const pid = await redisPid(server.url);
    trackPid(pid);
    pin(pid, core);
    const redis = new BenchRedis(server, client, pid, core);
    onCleanup(() => redis.stop());
    return redis;
  }

  get url(): string {
    return this.server.url;
  }

  measured(): Measured {
    return { name: "redis", pid: this.pid, core: this.core, server: false, redis: true };
  }

  async flush(): Promise<void> {
    await this.client.flushAll();
  }

  async stats(): Promise<RedisStats> {
    const [stats, cpu] = await Promise.all([this.client.info("stats"), this.client.info("cpu")]);
    return {
      commands: Number(info(stats, "total_commands_processed")),
      cpuMs: 1000 * (Number(info(cpu, "used_cpu_user")) + Number(info(cpu, "used_cpu_sys"))),
    };
  }

  async stop(): Promise<void> {
    this.client.destroy();
    await this.server.stop();
  }
}

/**
 * The pid of the redis-server at `url`, from its `INFO`: RedisServer keeps
 * its child process to itself, and the CPU meter reads /proc by pid.
 */
export async function redisPid(url: string): Promise<number> {
  const client = createClient({ url });
  client.on("error", () => {});
  await client.connect();
  try {
    return Number(info(await client.info("server"), "process_id"));
  } finally {
    client.destroy();
  }
}

function info(text: string, field: string): string {
  const match = new RegExp(`^${field}:(.*)$`, "m").exec(text);
  if (!match) throw new Error(`INFO has no ${field}`);
  return match[1].trim();
}
