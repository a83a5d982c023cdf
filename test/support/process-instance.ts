import { ServiceProcess } from "../../scripts/service-process.js";
import { PUBLISH_TOKEN } from "./instances.js";

/** An instance in a child process, configured like the in-process test instances. */
export const startProcessInstance = (env: Record<string, string>) =>
  ServiceProcess.start({ PUBLISH_TOKENS: PUBLISH_TOKEN, REDIS_PREFIX: "test:", ...env });
