import { createPublicKey, type KeyObject } from "node:crypto";
import { errors, jwtVerify, type JWSAlgorithm } from "jose";
import { z } from "zod";
import { AppError } from "../../contract/app-error.js";
import { characters } from "../../contract/fields.js";
import {
  DISPLAY_NAME_MAX,
  SUBJECT_PATTERN,
  type ChatUser,
  type GrantedRole,
} from "../../contract/index.js";

/** The key that verifies JWTs: an HS256 secret or a PEM public key. */
export type JwtKey = { kind: "secret"; secret: string } | { kind: "public"; pem: string };

export interface JwtOptions {
  key: JwtKey;
  /** The required `iss`, when set. */
  issuer?: string | undefined;
  /** The required `aud`, when set. */
  audience?: string | undefined;
}

/** Who a valid JWT says the holder is. */
export interface Identity {
  user: ChatUser & { verified: true };
  roles: GrantedRole[];
}

/** Clocks of the site that signs and of this service may differ by this much. */
const CLOCK_TOLERANCE_S = 30;

/**
 * Longer tokens are refused unread: a real one is well under 2 KiB, and
 * verifying costs a signature check per handshake.
 */
const JWT_MAX_LENGTH = 8192;

const claims = z.object({
  sub: z.string().regex(SUBJECT_PATTERN),
  name: z
    .string()
    .transform((name) => name.trim())
    .pipe(characters(1, DISPLAY_NAME_MAX)),
  roles: z.array(z.enum(["publisher", "moderator"])).optional(),
});

/**
 * The one algorithm a public key verifies, so a token can never choose a
 * weaker one (`none`, or HS256 keyed with the public key itself); undefined
 * for a key this service does not accept.
 */
export function publicKeyAlgorithm(key: KeyObject): JWSAlgorithm | undefined {
  switch (key.asymmetricKeyType) {
    case "rsa":
      return "RS256";
    case "ec":
      return key.asymmetricKeyDetails?.namedCurve === "prime256v1" ? "ES256" : undefined;
    case "ed25519":
      return "EdDSA";
    default:
      return undefined;
  }
}

/** Verifies handshake `jwt`s and JWT bearers with `jose`. */
export class JwtVerifier {
  private readonly key: KeyObject | Uint8Array;
  private readonly algorithms: JWSAlgorithm[];

  /** @throws when the key is not one {@link publicKeyAlgorithm} accepts (config checks first) */
  constructor(private readonly options: JwtOptions) {
    const { key } = options;
    if (key.kind === "secret") {
      this.key = new TextEncoder().encode(key.secret);
      this.algorithms = ["HS256"];
    } else {
      const publicKey = createPublicKey(key.pem);
      const algorithm = publicKeyAlgorithm(publicKey);
      if (!algorithm) throw new Error("JWT_PUBLIC_KEY is not an RSA, P-256 or Ed25519 key");
      this.key = publicKey;
      this.algorithms = [algorithm];
    }
  }

  /** @throws AppError `unauthorized`, whose message says why (for logs) */
  async verify(token: string): Promise<Identity> {
    if (token.length > JWT_MAX_LENGTH) throw rejected(`longer than ${JWT_MAX_LENGTH} characters`);
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: this.algorithms,
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ["exp"],
        ...(this.options.issuer === undefined ? {} : { issuer: this.options.issuer }),
        ...(this.options.audience === undefined ? {} : { audience: this.options.audience }),
      }));
    } catch (err) {
      if (err instanceof errors.JOSEError) throw rejected(err.code);
      throw err;
    }
    const parsed = claims.safeParse(payload);
    if (!parsed.success) {
      throw rejected(`claim ${parsed.error.issues[0].path.join(".")} is invalid`);
    }
    const { sub, name, roles = [] } = parsed.data;
    return { user: { id: sub, name, verified: true }, roles: [...new Set(roles)] };
  }
}

const rejected = (reason: string) => new AppError("unauthorized", `invalid jwt: ${reason}`);
