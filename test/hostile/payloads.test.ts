import { expect } from "chai";
import { PUBLISH_TOKEN } from "../support/instances.js";
import { put, request } from "../support/http.js";
import { useArena } from "./support/arena.js";
import { nestedArrays } from "./support/nesting.js";
import type { RawSocket } from "./support/raw-socket.js";

const SCORES = "/scores";
const CHAT = "/chat";

const codeOf = (answer: unknown) => (answer as { error?: { code?: string } }).error?.code;

describe("hostile: payloads", () => {
  const arena = useArena();

  /** Sends one raw event frame and resolves with the answer. */
  async function answerTo(raw: RawSocket, nsp: string, json: string) {
    return (await raw.ask(nsp, json))[0];
  }

  it('answers "error" and other unknown event names with bad_request', () =>
    arena().survives(async () => {
      for (const nsp of [SCORES, CHAT]) {
        const raw = await arena().connected(nsp);
        for (const json of [
          '["error"]',
          '["error",{"message":"boom"}]',
          '["__proto__",{}]',
          '["constructor",{}]',
          '["toString",{}]',
          '["match",{}]',
          "[42,{}]",
        ]) {
          expect(codeOf(await answerTo(raw, nsp, json)), json).to.equal("bad_request");
        }
      }
    }));

  it("closes a connection whose event name is not a string or number", () =>
    arena().survives(async () => {
      for (const frame of [`42${SCORES},1[{"toString":"foo"}]`, '42[{"toString":"foo"}]']) {
        const raw = await arena().connected(SCORES);
        raw.send(frame);
        await raw.ended();
      }
    }));

  it("answers null, number, string, boolean and array payloads with bad_request", () =>
    arena().survives(async () => {
      const scores = await arena().connected(SCORES, { token: PUBLISH_TOKEN });
      const chat = await arena().connected(CHAT);
      for (const payload of ["null", "0", "-1", '"ids"', "true", "[]", '[{"ids":["a"]}]', ""]) {
        for (const event of ["subscribe", "unsubscribe", "publish"]) {
          const json = `["${event}"${payload ? "," + payload : ""}]`;
          expect(codeOf(await answerTo(scores, SCORES, json)), json).to.equal("bad_request");
        }
        for (const event of ["join", "leave", "send"]) {
          const json = `["${event}"${payload ? "," + payload : ""}]`;
          expect(codeOf(await answerTo(chat, CHAT, json)), json).to.equal("bad_request");
        }
      }
    }));

  it("takes __proto__ and constructor.prototype keys as plain data", () =>
    arena().survives(async () => {
      const pub = await arena().connected(SCORES, { token: PUBLISH_TOKEN });
      const published = await answerTo(
        pub,
        SCORES,
        `["publish",{"id":"proto","home":{"name":"A","__proto__":{"polluted":1,"score":9}},` +
          `"away":{"name":"B"},"__proto__":{"polluted":1,"status":"finished"},` +
          `"constructor":{"prototype":{"polluted":1}}}]`,
      );
      expect(published).to.have.nested.property("match.status", "scheduled");
      expect(published).to.have.nested.property("match.home.score", 0);
      expect(Object.keys((published as { match: object }).match)).to.not.include("polluted");

      // An inherited `versions.proto` would hide the match from the ack.
      const subscribed = await answerTo(
        pub,
        SCORES,
        '["subscribe",{"ids":["proto"],"versions":{"__proto__":{"proto":9}}}]',
      );
      if ((subscribed as { ok: boolean }).ok) {
        expect(subscribed).to.have.nested.property("matches[0].id", "proto");
      } else {
        expect(codeOf(subscribed)).to.equal("bad_request");
      }

      // An inherited token would make a publisher of a viewer.
      const inherited = `{"__proto__":{"polluted":1,"token":"${PUBLISH_TOKEN}"}}`;
      const viewer = await arena().connected(SCORES, inherited);
      const refused = await answerTo(viewer, SCORES, '["publish",{"id":"proto","minute":1}]');
      expect(codeOf(refused)).to.equal("forbidden");

      const chat = await arena().connected(
        CHAT,
        '{"name":"Eve","__proto__":{"name":"Mallory"},"constructor":{"prototype":{"polluted":1}}}',
      );
      expect(await answerTo(chat, CHAT, '["join",{"room":"proto"}]')).to.include({ ok: true });
      // An inherited nonce would make the second send a retry of the first.
      const send = '["send",{"room":"proto","text":"hi","__proto__":{"nonce":"n1"}}]';
      const first = await answerTo(chat, CHAT, send);
      const second = await answerTo(chat, CHAT, send);
      expect(first).to.have.nested.property("message.user.name", "Eve");
      expect(first).to.have.nested.property("message.seq", 1);
      expect(second).to.have.nested.property("message.seq", 2);

      const viaHttp = await put(
        arena().url,
        "proto-http",
        '{"home":{"name":"A"},"away":{"name":"B"},"__proto__":{"polluted":1,"minute":7}}',
      );
      expect(viaHttp.status).to.equal(200);
      expect(viaHttp.body.minute).to.equal(null);
    }));

  it("refuses payloads nested 5000 deep, storing and broadcasting nothing", () =>
    arena().survives(async () => {
      const watcher = await arena().connected(SCORES);
      await watcher.call(SCORES, "subscribe", { ids: ["deep", "deep-after"] });
      const pub = await arena().connected(SCORES, { token: PUBLISH_TOKEN });
      const deep = nestedArrays(5000);
      const teams = '"home":{"name":"A"},"away":{"name":"B"}';
      const publish = `["publish",{"id":"deep",${teams},"extra":${deep}}]`;
      expect(codeOf(await answerTo(pub, SCORES, publish))).to.equal("bad_request");
      const binary = `["publish",{"id":"deep",${teams},"extra":${nestedArrays(5000, '{"_placeholder":true,"num":0}')}}]`;
      pub.send(`451-${SCORES},2${binary}`, Buffer.from("x"));
      expect(codeOf((await pub.ackOf(SCORES, 2))[0])).to.equal("bad_request");
      const http = await put(arena().url, "deep", `{${teams},"extra":${deep}}`);
      expect(http.status).to.equal(400);

      // Broadcasts reach one socket in publish order: once "deep-after"
      // arrives, a broadcast of "deep" would have arrived before it.
      await answerTo(pub, SCORES, `["publish",{"id":"deep-after",${teams}}]`);
      await watcher.next((f) => f.includes('"id":"deep-after"'));
      expect(watcher.frames.filter((f) => String(f).includes('"id":"deep"'))).to.deep.equal([]);
      expect((await request(`${arena().url}/api/matches/deep`)).status).to.equal(404);

      const chat = await arena().connected(CHAT);
      await chat.call(CHAT, "join", { room: "deep" });
      const send = `["send",{"room":"deep","text":"x","extra":${deep}}]`;
      expect(codeOf(await answerTo(chat, CHAT, send))).to.equal("bad_request");
      const [sent] = await chat.call(CHAT, "send", { room: "deep", text: "after" });
      expect(sent).to.have.nested.property("message.seq", 1);
    }));

  it("answers injected placeholders as data, and closes on forged attachment indexes", () =>
    arena().survives(async () => {
      const raw = await arena().connected(SCORES);
      const placeholder = '{"_placeholder":true,"num":0}';
      expect(codeOf(await answerTo(raw, SCORES, `["subscribe",${placeholder}]`))).to.equal(
        "bad_request",
      );
      expect(
        codeOf(await answerTo(raw, SCORES, `["subscribe",{"ids":[${placeholder}]}]`)),
      ).to.equal("bad_request");
      for (const [id, json] of [
        [3, `["subscribe",${placeholder}]`],
        [4, `["subscribe",{"ids":[${placeholder}]}]`],
        // Socket.IO's parser takes index 0.5 as in range: buffers[0.5] is undefined.
        [5, '["subscribe",{"ids":[{"_placeholder":true,"num":0.5}]}]'],
      ] as const) {
        raw.send(`451-${SCORES},${id}${json}`, Buffer.from("arena-match"));
        expect(codeOf((await raw.ackOf(SCORES, id))[0]), json).to.equal("bad_request");
      }
      for (const num of ['"__proto__"', "1", "-1", '"0"', "null", "1e309"]) {
        const forged = await arena().connected(SCORES);
        forged.send(
          `451-${SCORES},1["subscribe",{"ids":[{"_placeholder":true,"num":${num}}]}]`,
          Buffer.from("x"),
        );
        await forged.ended().catch((err: Error) => {
          throw new Error(`num ${num}: ${err.message}`);
        });
      }
    }));

  it("ignores extra arguments after the payload", () =>
    arena().survives(async () => {
      const raw = await arena().connected(SCORES);
      const json = `["subscribe",{"ids":["extra"]},{"__proto__":{"polluted":1}},${nestedArrays(5000)},"x"]`;
      expect(await answerTo(raw, SCORES, json)).to.deep.equal({ ok: true, matches: [] });
    }));
});
