import { Router } from "express";
import type { Registry } from "prom-client";

export interface HealthOptions {
  /** Why the instance cannot serve now, or undefined when it can. */
  notReady(): string | undefined;
  registry: Registry;
}

/** `/healthz`, `/readyz` and `/metrics`, for load balancers and Prometheus. */
export function healthRouter({ notReady, registry }: HealthOptions): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", (_req, res) => {
    const reason = notReady();
    if (reason) res.status(503).json({ status: "unavailable", reason });
    else res.json({ status: "ready" });
  });
  router.get("/metrics", async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
