import type { Dialect, DialectSpec } from "./dialect.js";
import { jsonDialect } from "./json-dialect.js";
import { socketIoDialect } from "./socketio-dialect.js";

/** The dialect a spec names, tracking `event`. */
export function dialectFor(spec: DialectSpec, event: string): Dialect {
  return spec.kind === "json" ? jsonDialect(event) : socketIoDialect(spec.namespace, event);
}
