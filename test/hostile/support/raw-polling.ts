import { request as httpRequest, type ClientRequest } from "node:http";
import { authText, engineUrl } from "./raw-socket.js";

/** Engine.IO v4 separates the packets of one polling body with this record separator. */
export const SEPARATOR = "\x1e";

/** Engine.IO's answer to a request for a session it does not know (or has closed). */
export const UNKNOWN_SID = '{"code":1,"message":"Session ID unknown"}';

export interface PollAnswer {
  status: number;
  /** The Engine.IO packets of a 200 answer; the raw body otherwise. */
  packets: string[];
}

/** A hand-driven Engine.IO v4 session over HTTP long polling, with `fetch`. */
export class RawPolling {
  private constructor(
    private readonly base: string,
    readonly sid: string,
    private readonly headers: Record<string, string>,
  ) {}

  /** Opens a session: `GET /socket.io/?EIO=4&transport=polling` answers `0{"sid":...}`. */
  static async open(base: string, headers: Record<string, string> = {}): Promise<RawPolling> {
    const res = await fetch(engineUrl(base, "polling"), { headers });
    const body = await res.text();
    if (res.status !== 200 || !body.startsWith("0{")) {
      throw new Error(`polling handshake answered ${res.status}: ${body.slice(0, 120)}`);
    }
    const { sid } = JSON.parse(body.slice(1)) as { sid: string };
    return new RawPolling(base, sid, headers);
  }

  get url(): string {
    return engineUrl(this.base, "polling", this.sid);
  }

  /** POSTs one body (packets joined with the separator); resolves with the status. */
  async post(body: string | Buffer, headers: Record<string, string> = {}): Promise<number> {
    const res = await fetch(this.url, {
      method: "POST",
      body: typeof body === "string" ? body : new Uint8Array(body),
      headers: { ...this.headers, ...headers },
    });
    await res.arrayBuffer();
    return res.status;
  }

  /** Sends CONNECT for `nsp` and polls for the answer. */
  async connect(nsp: string, auth?: object | string): Promise<string> {
    await this.post(`40${nsp},${authText(auth)}`);
    return (await this.poll()).packets.join(SEPARATOR);
  }

  /**
   * Starts a long-polling GET and resolves once the server holds it, so that
   * whatever the session does next answers this poll. `answer` is its answer.
   */
  hold(): Promise<{ answer: Promise<PollAnswer> }> {
    return held(this.url, "GET", this.headers).then(({ response }) => ({ answer: response }));
  }

  /** Starts a POST whose body never ends, and resolves once the server has taken it up. */
  async holdPost(): Promise<{ abort(): void }> {
    const { request } = await held(this.url, "POST", this.headers);
    request.write("42");
    return { abort: () => request.destroy() };
  }

  /** One long-polling GET: what the server had queued for this session. */
  async poll(): Promise<PollAnswer> {
    const res = await fetch(this.url, { headers: this.headers });
    const body = await res.text();
    return { status: res.status, packets: res.status === 200 ? body.split(SEPARATOR) : [body] };
  }
}

/**
 * Sends a request's headers with `Expect: 100-continue`. Node writes the
 * `100 Continue` and then runs the request handler in the same turn, so once
 * it arrives, the server holds the request before it reads anything sent later.
 */
function held(url: string, method: string, headers: Record<string, string>) {
  return new Promise<{ request: ClientRequest; response: Promise<PollAnswer> }>(
    (resolve, reject) => {
      const request = httpRequest(url, {
        method,
        headers: { ...headers, "content-type": "text/plain", expect: "100-continue" },
      });
      const response = new Promise<PollAnswer>((done, fail) => {
        request.once("response", (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (body += chunk));
          res.once("end", () => {
            const status = res.statusCode ?? 0;
            done({ status, packets: status === 200 ? body.split(SEPARATOR) : [body] });
          });
        });
        request.once("error", fail);
      });
      response.catch(() => undefined);
      request.once("continue", () => resolve({ request, response }));
      request.once("error", reject);
      request.flushHeaders();
    },
  );
}
