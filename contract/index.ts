export * from "./errors.js";
export * from "./events.js";
export * from "./limits.js";
export * from "./models.js";
