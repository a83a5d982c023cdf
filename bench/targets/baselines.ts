import { SCORES_NAMESPACE } from "../../contract/index.js";
import { ServerProcess } from "./server-process.js";
import { instanceNames, SERVER_CORE, type Target } from "./target.js";

const baselineScript = (name: string) => new URL(`../baselines/${name}.js`, import.meta.url);

/** The ceiling: a bare `ws` server broadcasting JSON, with no protocol on top. */
export const wsBaseline: Target = {
  id: "ws",
  topologies: ["single"],
  async deploy(_topology, { nodeFlags }) {
    const server = await ServerProcess.start({
      name: "bare ws",
      script: baselineScript("ws-broadcast-server"),
      core: SERVER_CORE,
      ...(nodeFlags ? { nodeFlags } : {}),
    });
    return { servers: [server], dialect: { kind: "json" } };
  },
};

/** What copying the Socket.IO docs gives: a default `Server`, the Redis adapter, `io.to(room).emit`. */
export const socketIoBaseline: Target = {
  id: "socketio",
  topologies: ["single", "pair"],
  async deploy(topology, { redis, nodeFlags }) {
    const servers = await Promise.all(
      instanceNames(topology).map((name) =>
        ServerProcess.start({
          name: `socket.io ${name}`,
          script: baselineScript("socketio-redis-server"),
          core: SERVER_CORE,
          env: { REDIS_URL: redis.url },
          ...(nodeFlags ? { nodeFlags } : {}),
        }),
      ),
    );
    return { servers, dialect: { kind: "socket.io", namespace: SCORES_NAMESPACE } };
  },
};
