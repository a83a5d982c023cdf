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
