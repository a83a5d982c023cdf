/**
 * The contract's browser-origin rule for handshakes and API calls: no Origin
 * header, the same origin (its host equals `Host`), or a listed origin.
 * `Origin: null` (sandboxed frames, file pages) is foreign.
 */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: ReadonlySet<string>,
): boolean {
  if (origin === undefined) return true;
  try {
    const url = new URL(origin);
    if (allowed.has(url.origin)) return true;
    // Read Host as a URL of the origin's scheme, so case and a default port
    // (`example.com:80` for http) compare as browsers compare origins.
    return host !== undefined && new URL(`${url.protocol}//${host}`).host === url.host;
  } catch {
    return false;
  }
}

/**
 * CORS headers that let the page of a refused origin read the refusal
 * itself (its status and a fixed body, nothing else), so that a client
 * can say "this site is not allowed" instead of retrying a network error
 * forever. Credentials are allowed too, for clients that send them.
 */
export function readableRefusalHeaders(origin: string | undefined): Record<string, string> {
  // Only a value that is a valid header as it stands is echoed.
  if (origin === undefined || !/^[\x21-\x7e]+$/.test(origin)) return {};
  return {
    "Access-Control-Allow-Origin": origin,
    "Access-Control-Allow-Credentials": "true",
    Vary: "Origin",
  };
}
