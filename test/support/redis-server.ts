export { RedisServer, type RedisServerOptions } from "../../scripts/redis-server.js";
