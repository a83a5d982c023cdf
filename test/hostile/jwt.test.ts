import { expect } from "chai";
import { createHmac } from "node:crypto";
import { SignJWT, UnsecuredJWT } from "jose";
import { metric } from "../support/http.js";
import { keyPair, mintJwt } from "../support/jwt.js";
import { useArena, type Arena } from "./support/arena.js";

const ISSUER = "https://site.example";
const AUDIENCE = "matchday";
const rsa = keyPair("rsa");
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);

/** Valid in every respect but those `claims` and `options` change. */
const signed = (claims: object = {}, expiresIn?: number) =>
  mintJwt(
    { sub: "site:ana", name: "Ana", iss: ISSUER, aud: AUDIENCE, ...claims },
    { key: rsa.privateKey, alg: "RS256", ...(expiresIn === undefined ? {} : { expiresIn }) },
  );

/** The CONNECT answer to a handshake carrying `jwt` in its auth. */
async function handshake(arena: Arena, jwt: unknown): Promise<string> {
  const raw = await arena.raw();
  return raw.connect("/chat", { jwt });
}

const refused = '44/chat,{"message":"unauthorized"}';

describe("hostile: jwt", () => {
  describe("with JWT_PUBLIC_KEY (RS256), JWT_ISSUER and JWT_AUDIENCE", () => {
    const arena = useArena({
      env: { JWT_PUBLIC_KEY: rsa.pem, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE },
    });

    it("accepts a valid token (the cases below differ from it in one respect)", () =>
      arena().survives(async (arena) => {
        expect(await handshake(arena, await signed())).to.match(/^40\/chat,\{"sid":/);
      }));

    it("refuses each bad token at the handshake with unauthorized, counted once, nobody else affected", () =>
      arena().survives(async (arena) => {
        const hs256WithPublicKey = (() => {
          const input = `${base64url({ alg: "HS256", typ: "JWT" })}.${base64url({
            sub: "site:eve",
            name: "Eve",
            iss: ISSUER,
            aud: AUDIENCE,
            exp: now() + 3600,
            roles: ["moderator"],
          })}`;
          const mac = createHmac("sha256", rsa.pem).update(input).digest("base64url");
          return `${input}.${mac}`;
        })();
        const cases: Array<[string, unknown]> = [
          [
            "alg none",
            new UnsecuredJWT({ sub: "site:eve", name: "Eve", iss: ISSUER, aud: AUDIENCE })
              .setExpirationTime("1h")
              .encode(),
          ],
          ["HS256 signed with the public key", hs256WithPublicKey],
          ["expired", await signed({}, -120)],
          ["not yet valid", await signed({ nbf: now() + 600 })],
          ["wrong iss", await signed({ iss: "https://evil.example" })],
          ["wrong aud", await signed({ aud: "someone-else" })],
          ["no exp", await signedWithoutExp()],
          ["sub of 65 characters", await signed({ sub: "s".repeat(65) })],
          ["name of 33 characters", await signed({ name: "n".repeat(33) })],
          ["unknown role", await signed({ roles: ["admin"] })],
          ["16 KiB token", await signed({ pad: "x".repeat(16 * 1024) })],
          ["garbage", "garbage"],
          ["three dots of garbage", "a.b.c"],
          ["not a string", { alg: "none" }],
        ];
        const before = await metric(arena.url, "matchday_handshake_rejections_total", {
          reason: "unauthorized",
        });
        for (const [label, jwt] of cases) {
          expect(await handshake(arena, jwt), label).to.equal(refused);
        }
        const after = await metric(arena.url, "matchday_handshake_rejections_total", {
          reason: "unauthorized",
        });
        expect(after - before).to.equal(cases.length);
      }));

    it("accepts the boundary: a 64-character sub and a 32-character name", () =>
      arena().survives(async (arena) => {
        const jwt = await signed({ sub: "s".repeat(64), name: "n".repeat(32) });
        expect(await handshake(arena, jwt)).to.match(/^40\/chat,\{"sid":/);
      }));
  });

  describe("with no JWT key configured", () => {
    const arena = useArena();

    it("refuses any jwt with unauthorized", () =>
      arena().survives(async (arena) => {
        expect(await handshake(arena, await mintJwt({ sub: "site:ana", name: "Ana" }))).to.equal(
          refused,
        );
      }));
  });
});

/** A token signed with the right key that never expires. */
function signedWithoutExp(): Promise<string> {
  return new SignJWT({ sub: "site:ana", name: "Ana", iss: ISSUER, aud: AUDIENCE })
    .setProtectedHeader({ alg: "RS256" })
    .sign(rsa.privateKey);
}
