import { createServer, request, type IncomingMessage, type Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import type { Duplex } from "node:stream";

/**
 * A load balancer in front of one instance at a time, on a port of its own
 * that never changes: an instance can be replaced behind it, as a restart
 * would. It can also refuse WebSocket upgrades, as some corporate proxies do.
 */
export class Balancer {
  /** The instance requests go to; none: 502. */
  target: URL | undefined;
  /** Answer every WebSocket upgrade 403 while true. */
  blockWebSocket = false;
  private readonly clients = new Set<Duplex>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(target?: string): Promise<Balancer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const balancer = new Balancer(server, `http://127.0.0.1:${port}`);
    if (target) balancer.target = new URL(target);
    server.on("connection", (socket) => balancer.track(socket));
    server.on("request", (req, res) => {
      const target = balancer.target;
      if (!target) return void res.writeHead(502).end();
      const upstream = request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
          agent: false,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          // An instance that closes mid-answer (a pending long poll) cuts the client too.
          answer.on("aborted", () => res.destroy()).on("error", () => res.destroy());
        },
      );
      upstream.on("error", () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
      res.on("close", () => upstream.destroy());
      req.pipe(upstream);
    });
    server.on("upgrade", (req, socket, head) => balancer.upgrade(req, socket, head));
    return balancer;
  }

  /** Cuts every open connection, as a network change or a dying instance would. */
  cutAll(): void {
    for (const socket of this.clients) socket.destroy();
  }

  close(): Promise<void> {
    this.cutAll();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: Duplex): void {
    this.clients.add(socket);
    socket.once("close", () => this.clients.delete(socket));
  }

  private upgrade(req: IncomingMessage, client: Duplex, head: Buffer): void {
    const target = this.target;
    if (this.blockWebSocket || !target) {
      client.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    const upstream: Socket = connect(Number(target.port), target.hostname, () => {
      const headers = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        headers.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`);
      }
      upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers.join("")}\r\n`);
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    this.track(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on("error", end).on("close", end);
    client.on("error", end).on("close", end);
  }
}
