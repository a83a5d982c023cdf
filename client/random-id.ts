/** The base64url alphabet: every character is valid in a `userId` and a nonce. */
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * A random id of `[A-Za-z0-9_-]`, from the platform's CSPRNG (browsers and
 * Node 20 alike). The default 22 characters carry 132 bits.
 */
export function randomId(length = 22): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (byte) => ALPHABET[byte & 63]).join("");
}
