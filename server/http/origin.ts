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
  if (allowed.has(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
