import { h } from "./h.js";

/**
 * The mark of a sender whose site vouched for them with a signed token.
 * A styled element of its own, apart from the name, which guests choose freely.
 */
export const verifiedBadge = (): HTMLElement =>
  h(
    "span",
    { class: "verified", title: "Signed in on the site" },
    h("span", { "aria-hidden": "true" }, "✓"),
    " verified",
  );
