import { expect } from "chai";
import type { Match } from "../contract/index.js";
import { closeAll, publisher, viewer, type ScoresSocket } from "./support/clients.js";
import { useCluster } from "./support/cluster.js";
import { put, request } from "./support/http.js";
import { MatchRecorder } from "./support/recorder.js";
import { eventually, waitFor } from "./support/wait.js";

let counter = 0;
const freshId = () => `c${Date.now().toString(36)}${counter++}`;
const teams = { home: { name: "Ajax" }, away: { name: "PSV" } };

describe("/scores across instances on one Redis", () => {
  const cluster = useCluster(3);
  const urls = () => cluster.instances.map((instance) => instance.url);
  afterEach(closeAll);

  async function subscribed(url: string, ids: string[], recorder?: MatchRecorder) {
    const socket = await viewer(url);
    if (recorder) socket.on("match", recorder.record);
    const answer = await socket.timeout(5000).emitWithAck("subscribe", { ids });
    if (!answer.ok) throw new Error(answer.error.message);
    recorder?.record(...answer.matches);
    return socket;
  }

  it("delivers a publish on A to subscribers on A, B and C", async () => {
    const id = freshId();
    const subs = await Promise.all(urls().map((url) => subscribed(url, [id])));
    const events = subs.map((sub) => waitFor<Match>(sub, "match"));
    const pub = await publisher(urls()[0]);
    const answer = await pub.timeout(5000).emitWithAck("publish", { id, ...teams });
    if (!answer.ok) expect.fail(`publish refused: ${answer.error.message}`);
    for (const match of await Promise.all(events)) expect(match).to.deep.equal(answer.match);
  });

  it("gives concurrent publishes from two instances versions 1..N, in order everywhere", async () => {
    const id = freshId();
    const recorders = urls().map(() => new MatchRecorder());
    await Promise.all(urls().map((url, i) => subscribed(url, [id], recorders[i])));
    const [a, b] = await Promise.all([publisher(urls()[0]), publisher(urls()[1])]);
    await a.timeout(5000).emitWithAck("publish", { id, ...teams });
    const burst = (socket: ScoresSocket, offset: number) =>
      Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          socket.timeout(5000).emitWithAck("publish", { id, minute: offset + i }),
        ),
      );
    const answers = [...(await burst(a, 0)), ...(await burst(b, 100))];
    const versions = answers.map((answer) => (answer.ok ? answer.match.version : -1));
    expect([...versions].sort((x, y) => x - y)).to.deep.equal(
      Array.from({ length: 100 }, (_, i) => i + 2),
    );
    await eventually("every subscriber holds version 101", () =>
      recorders.every((recorder) => recorder.latest(id) === 101),
    );
    for (const recorder of recorders) expect(recorder.violations()).to.equal(0);
  });

  it("answers a resubscribe elsewhere with only the matches that changed", async () => {
    const [kept, changed] = [freshId(), freshId()];
    const pub = await publisher(urls()[0]);
    await pub.timeout(5000).emitWithAck("publish", { id: kept, ...teams });
    await pub.timeout(5000).emitWithAck("publish", { id: changed, ...teams });
    const before = await subscribed(urls()[1], [kept, changed]);
    before.disconnect();
    await pub.timeout(5000).emitWithAck("publish", { id: changed, minute: 50 });
    const after = await viewer(urls()[2]);
    const answer = await after
      .timeout(5000)
      .emitWithAck("subscribe", { ids: [kept, changed], versions: { [kept]: 1, [changed]: 1 } });
    expect(answer.ok && answer.matches.map((m: Match) => [m.id, m.version])).to.deep.equal([
      [changed, 2],
    ]);
  });

  it("answers a long poll on B when A publishes, over HTTP and sockets alike", async () => {
    const id = freshId();
    await put(urls()[0], id, teams);
    const waiting = request(`${urls()[1]}/api/matches/${id}?after=1&wait=10`);
    const sub = await subscribed(urls()[2], [id]);
    const seen = waitFor<Match>(sub, "match");
    const pub = await publisher(urls()[0]);
    await pub.timeout(5000).emitWithAck("publish", { id, home: { score: 1 } });
    expect((await seen).version).to.equal(2);
    const answer = await waiting;
    expect(answer.status).to.equal(200);
    expect(answer.body).to.deep.include({ id, version: 2, home: { name: "Ajax", score: 1 } });
  });

  it("serves the same matches from every instance", async () => {
    const id = freshId();
    await put(urls()[2], id, { ...teams, minute: 12 });
    for (const url of urls()) {
      expect((await request(`${url}/api/matches/${id}`)).body).to.include({
        minute: 12,
        version: 1,
      });
    }
  });
});
