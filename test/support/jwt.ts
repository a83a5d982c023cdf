import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { SignJWT, type JWTPayload } from "jose";

/** The HS256 secret of instances started with {@link jwtEnv}. */
export const JWT_SECRET = "test-jwt-secret-of-at-least-32-bytes!";
export const MODERATOR_TOKEN = "test-moderator-token";

/** Instance env: JWTs signed with {@link JWT_SECRET}, and a moderator token. */
export const jwtEnv = { JWT_SECRET, MODERATOR_TOKENS: MODERATOR_TOKEN };

export interface MintOptions {
  /** @default JWT_SECRET (HS256) */
  key?: KeyObject | Uint8Array;
  /** @default "HS256" */
  alg?: string;
  /** Seconds from now; negative for an expired token. @default 3600 */
  expiresIn?: number;
}

/** A signed JWT of `claims`, as an embedding site mints one. */
export function mintJwt(claims: JWTPayload, options: MintOptions = {}): Promise<string> {
  const { key = new TextEncoder().encode(JWT_SECRET), alg = "HS256", expiresIn = 3600 } = options;
  return new SignJWT(claims)
    .setProtectedHeader({ alg })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + expiresIn)
    .sign(key);
}

/** A fresh key pair, its public half as the PEM an operator puts in JWT_PUBLIC_KEY. */
export function keyPair(type: "rsa" | "ed25519") {
  const { publicKey, privateKey } =
    type === "rsa"
      ? generateKeyPairSync("rsa", { modulusLength: 2048 })
      : generateKeyPairSync("ed25519");
  return { privateKey, pem: publicKey.export({ type: "spki", format: "pem" }).toString() };
}
