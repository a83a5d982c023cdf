import { expect } from "chai";
import { OncePerWindow } from "../server/realtime/once-per-window.js";

describe("OncePerWindow (the refused-origin warning's throttle)", () => {
  it("lets a key through once per window, and no more than `max` keys at a time", () => {
    const once = new OncePerWindow(60_000, 2);
    expect(once.take("a", 0)).to.equal(true);
    expect(once.take("a", 59_999)).to.equal(false);
    expect(once.take("b", 1_000)).to.equal(true);
    expect(once.take("c", 2_000), "beyond max").to.equal(false);
    expect(once.take("a", 60_000), "a's window is over").to.equal(true);
    expect(once.take("c", 61_000), "b's window is over: room again").to.equal(true);
    expect(once.take("b", 61_000), "full again").to.equal(false);
  });
});
