import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createClient } from "redis";
import { freePort } from "./free-port.js";
import { RedisServer } from "./redis-server.js";

export interface RedisClusterOptions {
  /** Every node as RedisServer's `persistent` (append-only file, fsync on every write). */
  persistent?: boolean;
  /** cluster-node-timeout; short by default so that a failover takes seconds, not the 15 s of Redis's default. */
  nodeTimeoutMs?: number;
  primaries?: number;
  replicasPerPrimary?: number;
}

const SLOTS = 16384;
const SETTLE_MS = 20_000;
const POLL_MS = 50;
/** A node that does not answer within this is down or paused, and said so. */
const ASK_MS = 1000;
/** Flags of a node that some node considers unusable. */
const UNHEALTHY = ["fail", "fail?", "handshake", "noaddr"];

/** One line of CLUSTER NODES. */
interface ClusterNode {
  id: string;
  port: number;
  flags: string[];
  primaryId: string | undefined;
  slots: [number, number][];
}

/**
 * A Redis Cluster of our own (`redis-server --cluster-enabled yes` on free
 * ports of 127.0.0.1, joined by `redis-cli --cluster create`), for tests,
 * benchmarks and the local cluster; never the machine's shared Redis.
 */
export class RedisCluster {
  private readonly servers: RedisServer[] = [];

  private constructor(
    private readonly primaries: number,
    private readonly replicasPerPrimary: number,
  ) {}

  /** Resolves once every node agrees that all slots are served and every replica is in sync. */
  static async start(options: RedisClusterOptions = {}): Promise<RedisCluster> {
    const cluster = new RedisCluster(options.primaries ?? 3, options.replicasPerPrimary ?? 1);
    try {
      const size = cluster.primaries * (1 + cluster.replicasPerPrimary);
      for (let i = 0; i < size; i++) {
        cluster.servers.push(await startNode(options));
      }
      await join(cluster.servers, cluster.replicasPerPrimary);
      await cluster.settled();
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  /** Seed urls of every node. */
  get nodes(): string[] {
    return this.servers.map((server) => server.url);
  }

  /** The seeds as REDIS_CLUSTER_NODES takes them. */
  get seeds(): string {
    return this.nodes.join(",");
  }

  async keySlot(key: string): Promise<number> {
    return Number(await this.askAny(["CLUSTER", "KEYSLOT", key]));
  }

  /** The primary serving `key`'s slot as a live node sees it (the dead one, until a failover). */
  async primaryOf(key: string): Promise<RedisServer> {
    const { view, primary } = await this.shardOf(key);
    return this.server(view, primary.id);
  }

  /** The healthy replicas of `key`'s primary as a live node sees them. */
  async replicasOf(key: string): Promise<RedisServer[]> {
    const { view, primary } = await this.shardOf(key);
    return healthyReplicas(view, primary.id).map((replica) => this.server(view, replica.id));
  }

  /**
   * SIGKILLs the primary of `key`'s slot and resolves once every live node
   * says cluster_state:ok and names one of its replicas as the slot's primary.
   */
  async killPrimaryOf(key: string): Promise<{ killed: RedisServer; promotedWithinMs: number }> {
    const { view, primary, slot } = await this.shardOf(key);
    const heirs = healthyReplicas(view, primary.id).map((replica) => replica.id);
    const killed = this.server(view, primary.id);
    if (heirs.length === 0) throw new Error(`${killed.address} has no replica to promote`);
    await killed.kill();
    const promotedWithinMs = await until(
      `no replica of ${killed.address} became the primary of slot ${slot}`,
      () =>
        survey(this.live(), async (server) => {
          const [info, nodes] = await ask(server, ["CLUSTER", "INFO"], ["CLUSTER", "NODES"]);
          const state = clusterState(info);
          const owner = ownerOf(parseNodes(nodes), slot);
          const ok = state === "ok" && owner !== undefined && heirs.includes(owner.id);
          return { ok, line: `${server.address}: ${state}, slot ${slot} on ${label(owner)}` };
        }),
    );
    return { killed, promotedWithinMs };
  }

  /** Starts a killed node again; it rejoins (as a replica, if it was failed over) and the cluster settles. */
  async restart(server: RedisServer): Promise<void> {
    await server.restart();
    await this.settled();
  }

  async flushAll(): Promise<void> {
    const view = await this.view();
    const primaries = view.filter((node) => node.slots.length > 0 && healthy(node));
    await Promise.all(primaries.map((node) => ask(this.server(view, node.id), ["FLUSHALL"])));
  }

  /** Safe to call again, and after kills. */
  async stop(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.stop()));
  }

  /** Waits until every node is up and settledAt, and all see the same cluster. */
  private async settled(): Promise<void> {
    await until("the Redis Cluster did not settle", async () => {
      const seen = await survey(this.servers, (server) => this.settledAt(server));
      const agreed = new Set(seen.flatMap(({ layout }) => layout ?? [])).size <= 1;
      return agreed ? seen : [...seen, { ok: false, line: "the nodes' views differ" }];
    });
  }

  /**
   * Whether `server` sees every node healthy, all slots served by as many
   * primaries as asked, each with its replicas, and (a replica) has its
   * replication link up, without which WAIT would wait.
   */
  private async settledAt(server: RedisServer): Promise<Finding> {
    const [info, nodes, role] = await ask(
      server,
      ["CLUSTER", "INFO"],
      ["CLUSTER", "NODES"],
      ["ROLE"],
    );
    const view = parseNodes(nodes);
    const owners = view
      .filter((node) => node.slots.length > 0)
      .sort((a, b) => a.slots[0][0] - b.slots[0][0]);
    const covered = owners.reduce(
      (sum, node) => sum + node.slots.reduce((n, [from, to]) => n + to - from + 1, 0),
      0,
    );
    const replicas = owners.map((node) => healthyReplicas(view, node.id).length);
    const [kind, , , link] = role as string[];
    const ok =
      clusterState(info) === "ok" &&
      view.length === this.servers.length &&
      view.every(healthy) &&
      owners.length === this.primaries &&
      covered === SLOTS &&
      replicas.every((count) => count === this.replicasPerPrimary) &&
      (kind === "master" || link === "connected");
    const line =
      `${server.address}: ${clusterState(info)}, ${view.filter(healthy).length}/${view.length} ` +
      `nodes healthy, ${covered} slots on ${owners.length} primaries with ` +
      `${replicas.join("/") || "no"} replicas, ${kind === "master" ? "primary" : `replica (link ${link})`}`;
    return { ok, line, layout: layout(view) };
  }

  private async shardOf(key: string) {
    const slot = await this.keySlot(key);
    const view = await this.view();
    const primary = ownerOf(view, slot);
    if (!primary) throw new Error(`no node serves slot ${slot}`);
    return { view, primary, slot };
  }

  private async view(): Promise<ClusterNode[]> {
    return parseNodes(await this.askAny(["CLUSTER", "NODES"]));
  }

  private server(view: ClusterNode[], id: string): RedisServer {
    const port = view.find((node) => node.id === id)?.port;
    const server = this.servers.find((server) => server.port === port);
    if (!server) throw new Error(`node ${id} (port ${port}) is not one of this cluster's`);
    return server;
  }

  private live(): RedisServer[] {
    return this.servers.filter((server) => server.alive);
  }

  /** The first live node's answer: a paused one does not answer, and the next may. */
  private async askAny(command: string[]): Promise<unknown> {
    const errors: string[] = [];
    for (const server of this.live()) {
      try {
        const [answer] = await ask(server, command);
        return answer;
      } catch (err) {
        errors.push((err as Error).message);
      }
    }
    throw new Error(
      `no node of the Redis Cluster answered ${command.join(" ")}: ${errors.join("; ") || "all are down"}`,
    );
  }
}

/** A cluster node on two free ports: the bus's default, port + 10000, may be taken or past 65535. */
async function startNode({ persistent, nodeTimeoutMs = 1000 }: RedisClusterOptions) {
  for (let attempt = 1; ; attempt++) {
    const args = [
      "--cluster-enabled",
      "yes",
      // Relative to the node's own --dir.
      "--cluster-config-file",
      "nodes.conf",
      "--cluster-port",
      String(await freePort()),
      "--cluster-node-timeout",
      String(nodeTimeoutMs),
      // A primary otherwise waits 5 s for more replicas before it streams its data to the first.
      "--repl-diskless-sync-delay",
      "0",
      // The other shards keep serving while one has no primary.
      "--cluster-require-full-coverage",
      "no",
    ];
    try {
      return await RedisServer.start({ persistent, args });
    } catch (err) {
      // A free port is only free until someone binds it, the node's own port among them.
      if (attempt === 3) throw err;
    }
  }
}

async function join(servers: RedisServer[], replicasPerPrimary: number): Promise<void> {
  const args = ["--cluster", "create", ...servers.map((server) => server.address)];
  args.push("--cluster-replicas", String(replicasPerPrimary), "--cluster-yes");
  try {
    await promisify(execFile)("redis-cli", args, { timeout: SETTLE_MS });
  } catch (err) {
    // The message holds the command line and its stderr; what it did before failing is on stdout.
    const { message, stdout } = err as Error & { stdout?: string };
    throw new Error(`redis-cli --cluster create failed: ${message}\n${stdout ?? ""}`, {
      cause: err,
    });
  }
}

/** Answers to `commands` from one short-lived connection that neither retries nor waits long. */
async function ask(server: RedisServer, ...commands: string[][]): Promise<unknown[]> {
  const client = createClient({ url: server.url, socket: { reconnectStrategy: false } });
  client.on("error", () => {});
  let timer: NodeJS.Timeout | undefined;
  // A paused node accepts the connection and then says nothing at all.
  const silence = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ASK_MS} ms`)), ASK_MS);
  });
  try {
    const answers = client
      .connect()
      .then(() => Promise.all(commands.map((args) => client.sendCommand(args))));
    return await Promise.race([answers, silence]);
  } catch (err) {
    throw new Error(`${server.address}: ${(err as Error).message}`, { cause: err });
  } finally {
    clearTimeout(timer);
    if (client.isOpen) client.destroy();
  }
}

/** What one node told, or that it did not answer. */
interface Finding {
  ok: boolean;
  line: string;
  /** Who serves which slots and who replicates whom, to compare the nodes' views. */
  layout?: string;
}

/** Every server's finding; one that does not answer is not ok. */
async function survey(
  servers: RedisServer[],
  look: (server: RedisServer) => Promise<Finding>,
): Promise<Finding[]> {
  return Promise.all(
    servers.map((server) => look(server).catch((err: Error) => ({ ok: false, line: err.message }))),
  );
}

/** Polls `look` until all it found is ok; answers how long that took, or fails with what it found last. */
async function until(failure: string, look: () => Promise<Finding[]>): Promise<number> {
  const started = Date.now();
  for (;;) {
    const seen = await look();
    if (seen.length > 0 && seen.every(({ ok }) => ok)) return Date.now() - started;
    if (Date.now() - started > SETTLE_MS) {
      const lines = seen.map(({ line }) => line).join("; ") || "no node is running";
      throw new Error(`${failure} within ${SETTLE_MS / 1000} s; last seen: ${lines}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function clusterState(info: unknown): string {
  return /cluster_state:(\w+)/.exec(String(info))?.[1] ?? "no cluster_state";
}

function parseNodes(reply: unknown): ClusterNode[] {
  return String(reply)
    .trim()
    .split("\n")
    .map((line) => {
      const [id, address, flags, primaryId, , , , , ...slots] = line.trim().split(" ");
      return {
        id,
        port: Number(address.split("@")[0].split(":").pop()),
        flags: flags.split(","),
        primaryId: primaryId === "-" ? undefined : primaryId,
        // Entries in brackets are slots on the move between nodes, not served ones.
        slots: slots
          .filter((entry) => !entry.startsWith("["))
          .map((entry) => {
            const [from, to = from] = entry.split("-").map(Number);
            return [from, to];
          }),
      };
    });
}

const healthy = (node: ClusterNode) => !node.flags.some((flag) => UNHEALTHY.includes(flag));

const healthyReplicas = (view: ClusterNode[], primaryId: string) =>
  view.filter((node) => node.primaryId === primaryId && healthy(node));

const ownerOf = (view: ClusterNode[], slot: number) =>
  view.find((node) => node.slots.some(([from, to]) => from <= slot && slot <= to));

const label = (node: ClusterNode | undefined) =>
  node ? `port ${node.port} (${node.flags.filter((flag) => flag !== "myself").join(",")})` : "none";

const layout = (view: ClusterNode[]) =>
  view
    .map((node) => `${node.port} ${node.primaryId ?? "-"} ${node.slots.join(" ")}`)
    .sort()
    .join("\n");
