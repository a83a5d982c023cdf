import { CHAT_NAMESPACE, SCORES_NAMESPACE } from "../../contract/index.js";
import type { DialectSpec } from "../wire/dialect.js";
import { ServerProcess } from "./server-process.js";
import { instanceNames, SERVER_CORE, type Target } from "./target.js";

/** The publisher token the bench configures; local to the bench's own servers. */
const BENCH_PUBLISH_TOKEN = "bench-publish-token";

const SCRIPT = new URL("../../server/index.js", import.meta.url);

export const CHAT_DIALECT: DialectSpec = { kind: "socket.io", namespace: CHAT_NAMESPACE };

/**
 * matchday as deployed: `node dist/server/index.js`, state in memory when
 * alone, in Redis (with the Redis adapter) when two instances share it, or
 * sharded over a Redis Cluster when the options bring one.
 */
export const matchday: Target = {
  id: "matchday",
  topologies: ["single", "pair"],
  async deploy(topology, { redis, cluster, nodeFlags, env: extra }) {
    // matchday refuses REDIS_URL beside the cluster's seeds, even one inherited
    // from the runner's environment: undefined leaves it out of the child's.
    const shared = cluster
      ? { REDIS_CLUSTER_NODES: cluster.seeds, REDIS_URL: undefined }
      : { REDIS_URL: redis.url };
    const env = {
      PUBLISH_TOKENS: BENCH_PUBLISH_TOKEN,
      LOG_LEVEL: "info",
      ...(topology === "pair" ? shared : {}),
      ...extra,
    };
    const servers = await Promise.all(
      instanceNames(topology).map((name) =>
        ServerProcess.start({
          name: `matchday ${name}`,
          script: SCRIPT,
          core: SERVER_CORE,
          env,
          ...(nodeFlags ? { nodeFlags } : {}),
        }),
      ),
    );
    return {
      servers,
      dialect: { kind: "socket.io", namespace: SCORES_NAMESPACE },
      publisherAuth: { token: BENCH_PUBLISH_TOKEN },
    };
  },
};
