import type { AddressInfo } from "node:net";
import { createApp, type App } from "../../server/app.js";
import type { Backend } from "../../server/backends/backend.js";
import { createMemoryBackend } from "../../server/backends/memory-backend.js";
import { connectRedisBackend } from "../../server/backends/redis-backend.js";
import { loadConfig } from "../../server/config.js";
import { createLogger } from "../../server/logger.js";

export const PUBLISH_TOKEN = "test-publish-token";

export interface InstanceOptions {
  /** With a URL: the Redis backend; without: memory. */
  redisUrl?: string;
  /** Extra environment, as an operator would set it. */
  env?: Record<string, string>;
}

/** One service instance in this process, listening on 127.0.0.1 and a free port. */
export class Instance {
  private constructor(
    readonly app: App,
    readonly backend: Backend,
    readonly url: string,
  ) {}

  static async start(options: InstanceOptions = {}): Promise<Instance> {
    const config = loadConfig({
      PUBLISH_TOKENS: PUBLISH_TOKEN,
      REDIS_PREFIX: "test:",
      ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
      ...options.env,
    });
    const logger = createLogger(process.env.TEST_LOG_LEVEL ?? "silent");
    const backend = config.redisUrl
      ? await connectRedisBackend({ url: config.redisUrl, prefix: config.redisPrefix, logger })
      : createMemoryBackend();
    const app = createApp(config, { backend, logger });
    await new Promise<void>((resolve) => app.server.listen(0, "127.0.0.1", resolve));
    const { port } = app.server.address() as AddressInfo;
    return new Instance(app, backend, `http://127.0.0.1:${port}`);
  }

  /** `count` instances sharing one Redis. */
  static async cluster(redisUrl: string, count: number, env?: Record<string, string>) {
    return Promise.all(
      Array.from({ length: count }, () => Instance.start({ redisUrl, ...(env ? { env } : {}) })),
    );
  }

  close(): Promise<void> {
    return this.app.close();
  }
}
