import { Instance, type InstanceOptions } from "./instances.js";
import { RedisServer } from "./redis-server.js";

/** Runs a suite against one instance of each backend: memory, and Redis of the suite's own. */
export function forEachBackend(
  title: string,
  suite: (get: () => Instance) => void,
  options: { env?: Record<string, string> } = {},
): void {
  for (const mode of ["memory", "redis"] as const) {
    describe(`${title} (${mode})`, () => {
      let redis: RedisServer | undefined;
      let instance: Instance;
      before(async () => {
        const start: InstanceOptions = options.env ? { env: options.env } : {};
        if (mode === "redis") {
          redis = await RedisServer.start();
          start.redisUrl = redis.url;
        }
        instance = await Instance.start(start);
      });
      after(async () => {
        await instance.close();
        await redis?.stop();
      });
      suite(() => instance);
    });
  }
}
