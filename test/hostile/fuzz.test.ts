import { expect } from "chai";
import fc from "fast-check";
import { PUBLISH_TOKEN } from "../support/instances.js";
import { useArena } from "./support/arena.js";
import { RawPolling, SEPARATOR } from "./support/raw-polling.js";
import { RawSocket } from "./support/raw-socket.js";

/** A fixed seed keeps runs repeatable; set FUZZ_SEED to explore others. */
const SEED = Number(process.env.FUZZ_SEED ?? 7);
/** Each property stops after this long, whatever its number of runs. */
const BUDGET_MS = 10_000;
const SENTINEL_ID = 999_999_999;

const namespace = fc.constantFrom("", "/", "/scores,", "/chat,", "/nope,", "/scores");
const eventName = fc.constantFrom(
  "subscribe",
  "unsubscribe",
  "publish",
  "join",
  "leave",
  "send",
  "error",
  "disconnect",
  "__proto__",
  "constructor",
);
/** Contract-shaped payloads, so that fuzzing reaches the handlers and not only the parser. */
const payload = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.record({ ids: fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }) }),
  fc.record({ id: fc.string({ maxLength: 8 }), home: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ room: fc.string({ maxLength: 8 }), text: fc.string(), nonce: fc.jsonValue() }),
);
const data = fc.oneof(
  fc.tuple(eventName, payload).map((args) => JSON.stringify(args)),
  payload.map((value) => JSON.stringify(value)),
  fc.tuple(eventName, payload).map((args) => JSON.stringify(args).slice(0, -1)),
  fc.constant(""),
);
/** A Socket.IO v5 packet: type, attachments, namespace, ack id, data; each part possibly wrong. */
const socketIoPacket = fc
  .tuple(
    fc.integer({ min: 0, max: 9 }),
    fc.option(fc.integer({ min: -1, max: 12 }).map((n) => `${n}-`)),
    namespace,
    fc.option(fc.nat()),
    data,
  )
  .map(
    ([type, attachments, nsp, id, json]) => `4${type}${attachments ?? ""}${nsp}${id ?? ""}${json}`,
  );
const frame = fc.oneof(
  { weight: 4, arbitrary: socketIoPacket },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 300 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 1, arbitrary: fc.constantFrom("2", "3", "5", "6", "1", "2probe", "3probe") },
);

describe("hostile: fuzzing with random frames", function () {
  this.timeout(60_000);
  const arena = useArena();

  it("survives random frames over WebSocket: each connection answers or closes", () =>
    arena().survives(async (a) => {
      const target = fc.record({
        nsp: fc.constantFrom("/scores", "/chat"),
        publisher: fc.boolean(),
        frames: fc.array(frame, { minLength: 1, maxLength: 8 }),
      });
      await fc.assert(
        fc.asyncProperty(target, async ({ nsp, publisher, frames }) => {
          const raw = await RawSocket.open(a.url);
          try {
            await raw.connect(nsp, publisher ? { token: PUBLISH_TOKEN } : undefined);
            raw.send(...frames);
            const sentinel =
              nsp === "/scores" ? '["subscribe",{"ids":["fuzz"]}]' : '["leave",{"room":"fuzz"}]';
            const from = raw.frames.length;
            raw.send(`42${nsp},${SENTINEL_ID}${sentinel}`);
            // The connection either still answers, or was closed for what it sent.
            await raw.ackOf(nsp, SENTINEL_ID, from).catch((err: Error) => {
              if (raw.open) throw err;
            });
          } finally {
            raw.close();
          }
        }),
        {
          seed: SEED,
          numRuns: 2000,
          interruptAfterTimeLimit: BUDGET_MS,
          markInterruptAsFailure: false,
        },
      );
    }));

  it("survives random polling bodies: each is answered", () =>
    arena().survives(async (a) => {
      const body = fc.array(fc.oneof(socketIoPacket, fc.string({ maxLength: 100 })), {
        minLength: 1,
        maxLength: 6,
      });
      await fc.assert(
        fc.asyncProperty(body, async (packets) => {
          const session = await RawPolling.open(a.url);
          // A poll waits meanwhile, as with a real client (a session closed
          // while none waits holds Engine.IO's 30 s close timer).
          await session.connect("/scores");
          const poll = await session.hold();
          expect([200, 400]).to.include(await session.post(packets.join(SEPARATOR)));
          await session.post("1");
          await poll.answer;
        }),
        {
          seed: SEED,
          numRuns: 1000,
          interruptAfterTimeLimit: BUDGET_MS,
          markInterruptAsFailure: false,
        },
      );
    }));
});
