import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Listens on `PORT` of 127.0.0.1 and logs the JSON line matchday logs, so the
 * runner starts every server the same way. SIGINT exits normally, which is
 * when `--cpu-prof` writes its profile.
 */
export function serve(server: Server): void {
  server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
    const { port } = server.address() as AddressInfo;
    console.log(JSON.stringify({ level: 30, msg: "listening", port }));
  });
  process.on("SIGINT", () => process.exit(0));
}
