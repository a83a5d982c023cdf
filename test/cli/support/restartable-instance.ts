import type { ServiceProcess } from "../../../scripts/service-process.js";
import { startProcessInstance } from "../../support/process-instance.js";

/**
 * A service instance in a child process that can die and come back on the
 * same port (so clients reconnect to the same URL), its state in Redis.
 */
export class RestartableInstance {
  private constructor(
    private process: ServiceProcess,
    private readonly env: Record<string, string>,
    readonly url: string,
  ) {}

  static async start(redisUrl: string): Promise<RestartableInstance> {
    const first = await startProcessInstance({ REDIS_URL: redisUrl });
    const port = new URL(first.url).port;
    return new RestartableInstance(first, { REDIS_URL: redisUrl, PORT: port }, first.url);
  }

  /** SIGSTOP: connections stay open, nothing is answered. */
  pause(): void {
    this.process.signal("SIGSTOP");
  }

  /** Starts again on the same port. */
  async revive(): Promise<void> {
    this.process = await startProcessInstance(this.env);
  }

  /** SIGKILL (after SIGCONT, if paused): no drain; requests in flight get no answer. */
  stop(): Promise<void> {
    return this.process.stop();
  }
}
