import { PUBLISH_TOKEN } from "./instances.js";

/** A JSON answer of the API: status, headers and parsed body (undefined when empty). */
export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

export async function request(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** `PUT /api/matches/:id` with the test publish token. */
export function put(
  base: string,
  id: string,
  body: unknown,
  token = PUBLISH_TOKEN,
): Promise<Answer> {
  return request(`${base}/api/matches/${id}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/**
 * The sum of the samples of a Prometheus counter or gauge on an instance's
 * `/metrics` that carry every one of `labels` (with none, every sample).
 */
export async function metric(
  base: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  let sum = 0;
  for (const line of text.split("\n")) {
    let counts = wanted.length === 0 && line.startsWith(`${name} `);
    if (line.startsWith(`${name}{`)) {
      const have = line.slice(name.length + 1, line.lastIndexOf("}")).split(",");
      counts = wanted.every((label) => have.includes(label));
    }
    if (counts) sum += Number(line.split(" ").at(-1));
  }
  return sum;
}

/** The HTTP status of a GET of `url`, or 0 when nothing answers within `ms`. */
export function statusOf(url: string, ms = 1000): Promise<number> {
  return fetch(url, { signal: AbortSignal.timeout(ms) }).then(
    (res) => res.status,
    () => 0,
  );
}
