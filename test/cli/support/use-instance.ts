import { Instance, PUBLISH_TOKEN } from "../../support/instances.js";
import { CliProcess } from "./cli-process.js";

/**
 * An in-process instance (memory) around a suite, configured with
 * `serverEnv`, and the environment that points the command line at it with
 * the publish token. Command lines a test left running are killed after it.
 */
export function useInstance(serverEnv?: Record<string, string>) {
  const suite = { instance: undefined as unknown as Instance, env: {} as Record<string, string> };
  before(async () => {
    suite.instance = await Instance.start(serverEnv ? { env: serverEnv } : {});
    suite.env = { MATCHDAY_URL: suite.instance.url, MATCHDAY_TOKEN: PUBLISH_TOKEN };
  });
  afterEach(() => CliProcess.killAll());
  after(() => suite.instance.close());
  return suite;
}
