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

/** The sum of every sample of a Prometheus counter or gauge on an instance's `/metrics`. */
export async function metric(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  let sum = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      sum += Number(line.split(" ").at(-1));
  }
  return sum;
}
