import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * The answers while the instance waits for Redis at start: it runs, so
 * `/healthz` is 200 (a liveness probe must not restart it for Redis's sake);
 * it cannot serve, so `/readyz` and everything else are 503. `createApp`
 * takes the server over once the backend is connected.
 */
export function startingUp(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? "/").split("?")[0];
  const answer = (status: number, body: object) =>
    res
      .writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" })
      .end(JSON.stringify(body));
  if (path === "/healthz") return void answer(200, { status: "ok" });
  if (path === "/readyz") return void answer(503, { status: "unavailable", reason: "starting" });
  answer(503, {
    error: { code: "unavailable", message: "the service is starting; retry shortly" },
  });
}
