import { connect } from "node:net";
import { parseArgs } from "node:util";
import { Haproxy } from "./haproxy.js";
import { RedisServer } from "./redis-server.js";
import { ServiceProcess } from "./service-process.js";

const usage = `npm run cluster -- [--instances N] [--port P]

Starts Redis (unless REDIS_URL is set or one answers on 127.0.0.1:6379),
N matchday instances (default 3) and HAProxy on port P (default 8080) with
deploy/haproxy.cfg. Ctrl-C drains the instances and stops everything.`;

const { values } = parseArgs({
  options: {
    instances: { type: "string", short: "n", default: "3" },
    port: { type: "string", short: "p", default: "8080" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const count = Number(values.instances);
const port = Number(values.port);
if (!Number.isInteger(count) || count < 1 || !Number.isInteger(port)) {
  console.error(usage);
  process.exit(2);
}

const answers = (host: string, p: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(p, host, () => {
      socket.end();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });

let ownRedis: RedisServer | undefined;
let redisUrl = process.env.REDIS_URL;
if (!redisUrl && (await answers("127.0.0.1", 6379))) redisUrl = "redis://127.0.0.1:6379";
if (!redisUrl) {
  ownRedis = await RedisServer.start({ persistent: true });
  redisUrl = ownRedis.url;
}
const token = process.env.PUBLISH_TOKENS ?? "dev-token";
const instances = await Promise.all(
  Array.from({ length: count }, () =>
    ServiceProcess.start({ REDIS_URL: redisUrl, PUBLISH_TOKENS: token }),
  ),
);
const proxy = await Haproxy.start(
  instances.map((instance) => Number(new URL(instance.url).port)),
  port,
);

console.log(`matchday cluster: ${proxy.url}
  redis      ${redisUrl}${ownRedis ? " (started for this cluster, append-only file on)" : ""}
  instances  ${instances.map((i) => i.url).join(", ")}
  publish    token "${token.split(",")[0]}" (set PUBLISH_TOKENS to choose)
Ctrl-C to stop.`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log("draining instances...");
  for (const instance of instances) instance.signal("SIGTERM");
  const exits = await Promise.all(instances.map((instance) => instance.exited()));
  await proxy.stop();
  await ownRedis?.stop();
  console.log(`stopped (instance exit codes: ${exits.map((e) => e.code).join(", ")})`);
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
