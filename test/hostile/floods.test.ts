import { connect as tcpConnect, type Socket as TcpSocket } from "node:net";
import { expect } from "chai";
import { DEFAULT_LIMITS, type Match } from "../../contract/index.js";
import { call, chatter, publisher, viewer } from "../support/clients.js";
import { metric, request } from "../support/http.js";
import { PUBLISH_TOKEN } from "../support/instances.js";
import { MatchRecorder, MessageRecorder } from "../support/recorder.js";
import { sleep } from "../support/stream.js";
import { eventually } from "../support/wait.js";
import { allowance } from "./support/allowance.js";
import { useArena } from "./support/arena.js";
import { SEPARATOR } from "./support/raw-polling.js";
import type { RawSocket } from "./support/raw-socket.js";

const NSP = "/scores";
const FLOOD = 10_000;

/** How the acks a raw socket received were answered. */
function tally(raw: RawSocket) {
  const acks = raw.frames.filter((f): f is string => String(f).startsWith(`43${NSP},`));
  return {
    ok: acks.filter((f) => f.includes('"ok":true')).length,
    limited: acks.filter((f) => f.includes('"code":"rate_limited"')).length,
  };
}

describe("hostile: floods", () => {
  const arena = useArena();

  it("disconnects a socket that sends 10,000 events at once, after its burst", () =>
    arena().survives(async (a) => {
      // Counted on /metrics, and on the wire: every event the server took on
      // is answered before the socket is cut off.
      const answered = (result: string) =>
        metric(a.url, "matchday_acks_total", { namespace: NSP, event: "subscribe", result });
      const [okBefore, limitedBefore] = [await answered("ok"), await answered("rate_limited")];
      const raw = await arena().connected(NSP);
      const started = Date.now();
      for (let i = 1; i <= FLOOD; i++) raw.send(`42${NSP},${i}["subscribe",{"ids":["flood"]}]`);
      const publishing = Promise.all([a.publish(), a.publish(), a.publish()]);
      await raw.ended(10_000);
      const elapsed = Date.now() - started;
      await publishing;
      const { socketEventBurst: burst, socketEventsPerSecond: rate } = DEFAULT_LIMITS;
      const ok = (await answered("ok")) - okBefore;
      expect(ok).to.be.within(burst, allowance(burst, rate, elapsed));
      const limited = (await answered("rate_limited")) - limitedBefore;
      expect(limited).to.be.within(1, DEFAULT_LIMITS.socketRefusalMax);
      expect(tally(raw)).to.deep.equal({ ok, limited });
    }));

  it("disconnects a polling session whose one body holds thousands of events", () =>
    arena().survives(async (a) => {
      const session = await a.polling();
      expect(await session.connect(NSP)).to.match(/^40\/scores,/);
      let body = "";
      for (let i = 1; body.length < DEFAULT_LIMITS.maxMessageBytes - 100; i++) {
        body += `${i > 1 ? SEPARATOR : ""}42${NSP},${i}["subscribe",{"ids":["f"]}]`;
      }
      expect(await session.post(body)).to.equal(200);
      let packets: string[] = [];
      await eventually("the session is closed", async () => {
        const answer = await session.poll();
        packets = [...packets, ...answer.packets];
        return answer.status === 400 || answer.packets.includes("1");
      });
      const limited = packets.filter((p) => p.includes('"code":"rate_limited"')).length;
      expect(limited).to.be.within(1, DEFAULT_LIMITS.socketRefusalMax);
    }));

  it("holds a publisher to its burst and keeps every subscriber's versions in order", () =>
    arena().survives(async (a) => {
      const id = "publish-flood";
      const watcher = await viewer(a.url);
      const seen = new MatchRecorder();
      watcher.on("match", seen.record);
      await call(watcher, "subscribe", { ids: [id] });
      const raw = await a.connected(NSP, { token: PUBLISH_TOKEN });
      const started = Date.now();
      const teams = '"home":{"name":"A","score":0},"away":{"name":"B"}';
      raw.send(`42${NSP},0["publish",{"id":"${id}",${teams}}]`);
      for (let i = 1; i <= FLOOD; i++) {
        raw.send(`42${NSP},${i}["publish",{"id":"${id}","home":{"score":${i}}}]`);
      }
      await raw.ended(20_000);
      const elapsed = Date.now() - started;
      const { publisherEventBurst: burst, publisherEventsPerSecond: rate } = DEFAULT_LIMITS;
      expect(tally(raw).limited).to.be.within(1, DEFAULT_LIMITS.socketRefusalMax);
      // Every accepted publish made a version (the first created the match).
      const { version } = (await request(`${a.url}/api/matches/${id}`)).body as Match;
      expect(version).to.be.within(burst, allowance(burst, rate, elapsed));
      await eventually("the watcher holds the last version", () => seen.latest(id) === version);
      expect(seen.violations()).to.equal(0);
      watcher.disconnect();
    }));

  it("disconnects a socket that stays over its rate though some events get through", () =>
    arena().survives(async () => {
      const raw = await arena().connected(NSP);
      let sent = 0;
      const send = () => raw.send(`42${NSP},${++sent}["subscribe",{"ids":["steady"]}]`);
      for (let i = 0; i < DEFAULT_LIMITS.socketEventBurst; i++) send();
      // Six times the rate, kept up by the clock (timers may run late): the
      // bucket lets one event in six through.
      const started = Date.now();
      const perMs = (DEFAULT_LIMITS.socketEventsPerSecond * 6) / 1000;
      const timer = setInterval(() => {
        while (sent < DEFAULT_LIMITS.socketEventBurst + (Date.now() - started) * perMs) send();
      }, 10);
      try {
        await raw.ended(10_000);
      } finally {
        clearInterval(timer);
      }
      expect(tally(raw).ok).to.be.above(DEFAULT_LIMITS.socketEventBurst);
    }));

  it("forgives a burst once the socket has been calm for a second", () =>
    arena().survives(async () => {
      const raw = await arena().connected(NSP);
      let id = 0;
      const burst = async (count: number) => {
        const last = id + count;
        while (id < last) raw.send(`42${NSP},${++id}["subscribe",{"ids":["calm"]}]`);
        await raw.ackOf(NSP, last);
      };
      const { socketEventBurst, socketRefusalMax } = DEFAULT_LIMITS;
      // Each burst is refused fewer than socketRefusalMax times; both together, more.
      await burst(socketEventBurst + socketRefusalMax * 0.8);
      await sleep(1100);
      await burst(socketEventBurst * 1.5);
      const { limited } = tally(raw);
      expect(limited).to.be.at.least(socketRefusalMax);
      expect(raw.open).to.equal(true);
    }));

  it("answers a burst of concurrent subscribes and joins without repeating anything", () =>
    arena().survives(async (a) => {
      const pub = await publisher(a.url);
      await call(pub, "publish", { id: "twice", home: { name: "A" }, away: { name: "B" } });
      const sub = await viewer(a.url);
      const seen = new MatchRecorder();
      const acks = await Promise.all(
        [1, 2, 3].map(() => call(sub, "subscribe", { ids: ["twice"] })),
      );
      for (const ack of acks) seen.record(...ack.matches);
      expect(seen.versions.get("twice")).to.deep.equal([1]);

      const room = "twice";
      const sender = await chatter(a.url);
      await call(sender, "join", { room });
      for (const text of ["one", "two"]) await call(sender, "send", { room, text });
      const member = await chatter(a.url);
      const seqs = new MessageRecorder();
      const joins = await Promise.all([1, 2, 3].map(() => call(member, "join", { room })));
      for (const join of joins) seqs.record(...join.history);
      expect(seqs.audit(room, 2)).to.deep.equal({
        received: 2,
        missing: 0,
        duplicates: 0,
        outOfOrder: 0,
      });
      for (const socket of [pub, sub, sender, member]) socket.disconnect();
    }));

  it("closes a connection that repeats CONNECT, making one socket at most", () =>
    arena().survives(async (a) => {
      const before = await metric(a.url, "matchday_connections");
      const session = await a.polling();
      const body = Array.from({ length: 5900 }, () => `40${NSP},`).join(SEPARATOR);
      expect(await session.post(body)).to.equal(200);
      const after = await metric(a.url, "matchday_connections");
      expect(after - before).to.be.at.most(1);
      const { packets } = await session.poll();
      expect(packets.filter((p) => p.startsWith("40"))).to.have.length.at.most(1);

      const raw = await a.raw();
      for (let i = 0; i < 2000; i++) raw.send(`40${NSP},`);
      await raw.ended();
      expect(raw.frames.filter((f) => String(f).startsWith("40"))).to.have.length.at.most(1);
    }));

  it("answers 10,000 CONNECTs to unknown namespaces and keeps serving", () =>
    arena().survives(async (a) => {
      const raw = await a.raw();
      for (let i = 0; i < FLOOD; i++) raw.send(`40/nope${i},`);
      await raw.next((f) => f.startsWith(`44/nope${FLOOD - 1},`), 10_000);
      expect(await raw.connect(NSP)).to.match(/^40\/scores,/);
    }));

  it("keeps serving with 1000 idle half-open handshakes", () =>
    arena().survives(async (a) => {
      const { host, port } = new URL(a.url);
      const idle: TcpSocket[] = [];
      a.track({ close: () => idle.forEach((socket) => socket.destroy()) });
      const partial =
        `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: ${host}\r\n` +
        "Upgrade: websocket\r\nConnection: Upgrade\r\n";
      await Promise.all(
        Array.from({ length: 500 }, async () => {
          const socket = tcpConnect(Number(port), "127.0.0.1");
          socket.on("error", () => {});
          idle.push(socket);
          await new Promise((resolve) => socket.once("connect", resolve));
          socket.write(partial);
        }),
      );
      // And 500 Engine.IO sessions that never connect a namespace.
      for (let i = 0; i < 5; i++) await Promise.all(Array.from({ length: 100 }, () => a.polling()));
      await a.verify();
      expect(idle.every((socket) => !socket.destroyed)).to.equal(true);
    }));
});
