import { createServer, connect } from "node:net";
import { parseArgs } from "node:util";
import { BalancerProcess } from "./balancer-process.js";
import { BALANCERS, type BalancerKind } from "./balancers.js";
import { RedisCluster } from "./redis-cluster.js";
import { RedisServer } from "./redis-server.js";
import { ServiceProcess } from "./service-process.js";

const usage = `usage: npm run cluster -- [--instances N] [--port P] [--lb haproxy|nginx] [--redis-cluster]

Starts Redis (unless REDIS_URL is set or one answers on 127.0.0.1:6379),
or with --redis-cluster a Redis Cluster of its own (3 primaries, 3 replicas,
nothing kept on disk) that the instances reach through REDIS_CLUSTER_NODES,
N matchday instances (default 3, INSTANCE_ID i1..iN, REDIS_PREFIX
"matchday-cluster:" unless set) and the balancer (default haproxy) on port P
(default 8080) with its recipe of deploy/. Publish token "dev-token" unless
PUBLISH_TOKENS is set. Ctrl-C drains the instances and stops everything.`;

/** Something this script started, stopped in reverse order on the way out. */
interface Started {
  stop(): Promise<void>;
}
const started: Started[] = [];

/** Prints one sentence (and the usage, for a mistake in the arguments) and exits with `code`. */
async function fail(sentence: string, code: number, withUsage = false): Promise<never> {
  await stopAll();
  console.error(`npm run cluster: ${sentence}`);
  if (withUsage) console.error(`\n${usage}`);
  process.exit(code);
}

async function stopAll(): Promise<void> {
  for (const thing of started.splice(0).reverse()) await thing.stop().catch(() => undefined);
}

function parse() {
  try {
    return parseArgs({
      options: {
        instances: { type: "string", short: "n", default: "3" },
        port: { type: "string", short: "p", default: "8080" },
        lb: { type: "string", default: "haproxy" },
        "redis-cluster": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (err) {
    // Node's messages add a second sentence of advice about positionals.
    return fail(`${(err as Error).message.split(". ")[0].replace(/\.?$/, ".")}`, 2, true);
  }
}

const answers = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, host, () => {
      socket.end();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });

const values = await parse();
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const count = Number(values.instances);
const port = Number(values.port);
if (!/^\d+$/.test(values.instances) || count < 1) {
  await fail(
    `--instances must be a whole number of at least 1, not "${values.instances}".`,
    2,
    true,
  );
}
if (!/^\d+$/.test(values.port) || port < 1 || port > 65535) {
  await fail(`--port must be a port number from 1 to 65535, not "${values.port}".`, 2, true);
}
if (!Object.hasOwn(BALANCERS, values.lb)) {
  await fail(`--lb must be haproxy or nginx, not "${values.lb}".`, 2, true);
}
const lb = values.lb as BalancerKind;
if (values["redis-cluster"] && process.env.REDIS_URL) {
  await fail("--redis-cluster starts a Redis Cluster of its own, so unset REDIS_URL.", 2);
}

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log("draining instances...");
  await stopAll();
  console.log("stopped");
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());

try {
  if (!(await portIsFree(port))) {
    await fail(`port ${port} is already in use; pick another with --port.`, 1);
  }
  const redis = values["redis-cluster"] ? await startRedisCluster() : await startRedis();
  const token = process.env.PUBLISH_TOKENS ?? "dev-token";
  const prefix = process.env.REDIS_PREFIX ?? "matchday-cluster:";
  const ids = Array.from({ length: count }, (_, i) => `i${i + 1}`);
  const launched = await Promise.allSettled(
    ids.map((id) =>
      ServiceProcess.start({
        ...redis.env,
        REDIS_PREFIX: prefix,
        PUBLISH_TOKENS: token,
        INSTANCE_ID: id,
      }),
    ),
  );
  const instances = launched.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  // Ctrl-C drains; a failed start has no clients to move and ends them at once.
  started.push(
    ...instances.map((instance) => ({
      stop: () => (stopping ? drain(instance) : instance.stop()),
    })),
  );
  const failed = launched.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  const upstreams = instances.map((instance, i) => ({
    id: ids[i],
    port: Number(new URL(instance.url).port),
  }));
  const proxy = await BalancerProcess.start(BALANCERS[lb], upstreams, port);
  started.push(proxy);

  console.log(`matchday cluster: ${proxy.url} (${lb})
  redis      ${redis.description}, key prefix "${prefix}"
  instances  ${upstreams.map(({ id, port }) => `${id} 127.0.0.1:${port}`).join(", ")}
  publish    token "${token.split(",")[0]}" (set PUBLISH_TOKENS to choose)
Ctrl-C to stop.`);
} catch (err) {
  await fail((err as Error).message.split("\n")[0], 1);
}

/** The REDIS_URL given, the machine's Redis, or one started for this cluster. */
async function startRedis() {
  let url = process.env.REDIS_URL;
  if (!url && (await answers("127.0.0.1", 6379))) url = "redis://127.0.0.1:6379";
  if (url) return { env: { REDIS_URL: url }, description: url };
  const redis = await RedisServer.start({ persistent: true });
  started.push(redis);
  return {
    env: { REDIS_URL: redis.url },
    description: `${redis.url} (started for this cluster, append-only file on)`,
  };
}

/** A dev tool's cluster: nothing on disk, so a restart of this script starts empty. */
async function startRedisCluster() {
  const redis = await RedisCluster.start();
  started.push(redis);
  return {
    env: { REDIS_CLUSTER_NODES: redis.seeds },
    description: `cluster ${redis.seeds} (started for this cluster, nothing on disk)`,
  };
}

/** SIGTERM, then wait for the instance's own drain to end it. */
async function drain(instance: ServiceProcess): Promise<void> {
  instance.signal("SIGTERM");
  await instance.exited();
}
