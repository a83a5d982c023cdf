import { AppError } from "../../contract/app-error.js";
import { JWT_SHAPE, type GrantedRole } from "../../contract/index.js";
import type { Identity, JwtVerifier } from "./jwt-verifier.js";

/** Every credential the service accepts: shared tokens and, when a key is configured, JWTs. */
export class Credentials {
  private readonly tokens = new Map<string, GrantedRole[]>();

  constructor(
    publishTokens: readonly string[],
    moderatorTokens: readonly string[],
    private readonly jwt: JwtVerifier | undefined,
  ) {
    // A token in both lists grants both roles.
    for (const [role, list] of [
      ["publisher", publishTokens],
      ["moderator", moderatorTokens],
    ] as const) {
      for (const token of list) this.tokens.set(token, [...(this.tokens.get(token) ?? []), role]);
    }
  }

  /** The roles a shared token grants; undefined for a token of neither list. */
  tokenRoles(token: string): readonly GrantedRole[] | undefined {
    return this.tokens.get(token);
  }

  /** @throws AppError `unauthorized` for any JWT that does not verify, or when no key is configured */
  verifyJwt(token: string): Promise<Identity> {
    if (!this.jwt) {
      return Promise.reject(new AppError("unauthorized", "invalid jwt: no JWT key is configured"));
    }
    return this.jwt.verify(token);
  }

  /**
   * The roles of an HTTP bearer: a shared token's, or a valid JWT's.
   * @throws AppError `unauthorized` for a JWT that does not verify
   */
  async bearerRoles(bearer: string): Promise<readonly GrantedRole[]> {
    const roles = this.tokenRoles(bearer);
    if (roles) return roles;
    if (!JWT_SHAPE.test(bearer)) return [];
    return (await this.verifyJwt(bearer)).roles;
  }
}
