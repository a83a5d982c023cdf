import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A third-party site on an origin of its own, serving fixed HTML pages: where
 * a site owner pastes the embed snippet.
 */
export class HostSite {
  private constructor(
    private readonly server: Server,
    readonly origin: string,
  ) {}

  static async start(pages: Map<string, string> = new Map()): Promise<HostSite> {
    const server = createServer((req, res) => {
      const html = pages.get(new URL(req.url ?? "/", "http://x").pathname);
      if (html === undefined) return void res.writeHead(404).end();
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(html);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return new HostSite(server, `http://127.0.0.1:${port}`);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
