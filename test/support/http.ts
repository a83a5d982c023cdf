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
