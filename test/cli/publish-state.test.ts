import { expect } from "chai";
import { Connection, fetchMatch, publish } from "../../client/index.js";
import { publishState } from "../../cli/feed/publish-state.js";
import { Instance, PUBLISH_TOKEN } from "../support/instances.js";

const kickOff = {
  id: "ps1",
  home: { name: "Arsenal", score: 0 },
  away: { name: "Chelsea", score: 0 },
  status: "live" as const,
  minute: 0,
};
const goal = { ...kickOff, home: { name: "Arsenal", score: 1 }, minute: 12 };

describe("cli: feed's publishState", () => {
  let instance: Instance;
  let connection: Connection;
  const retries: string[] = [];
  const options = (knownVersion: number) => ({
    knownVersion,
    deadline: Date.now() + 10_000,
    onRetry: (err: Error) => retries.push(err.message),
  });
  before(async () => {
    instance = await Instance.start();
    connection = new Connection(instance.url, { token: PUBLISH_TOKEN });
    expect(await publishState(connection, kickOff, options(0))).to.include({ version: 1 });
  });
  beforeEach(() => (retries.length = 0));
  after(async () => {
    connection.close();
    await instance.close();
  });

  it("does not publish again a state whose answer was lost", async () => {
    // The write went through, but the feed never heard back: it still knows version 1.
    await publish(connection, goal);
    const match = await publishState(connection, goal, options(1));
    expect(match).to.deep.include({ version: 2, home: goal.home });
    expect(retries).to.have.lengthOf(1);
    expect((await fetchMatch(instance.url, "ps1"))?.version).to.equal(2);
  });

  it("puts its state on top of a change made meanwhile by someone else", async () => {
    await publish(connection, { id: "ps1", minute: 13 });
    const later = { ...goal, minute: 14 };
    const match = await publishState(connection, later, options(2));
    expect(match).to.deep.include({ version: 4, minute: 14 });
    expect(retries).to.deep.equal(["expected version 2, but match ps1 is at version 3"]);
  });
});
