export { RedisCluster, type RedisClusterOptions } from "../../scripts/redis-cluster.js";
