import type { Page } from "playwright-core";
import type { MatchId } from "../../../contract/index.js";

/** What the host page's probe records: a widget showing `version`, at `at` (epoch ms), painted. */
export interface Paint {
  id: MatchId;
  version: number;
  at: number;
}

/**
 * A third-party page with the embed snippet for `ids`, exactly as a site
 * owner pastes it, plus a probe that records when each new version is on
 * screen: after the next frame's rendering (rAF, then a task).
 */
export function embedPage(serviceUrl: string, ids: MatchId[], head = ""): string {
  const slots = ids.map((id) => `<div data-matchday-match="${id}">Loading score…</div>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A football blog</title>${head}</head>
<body>
<h1>Tonight's matches</h1>
${slots.join("\n")}
<script>
  window.paints = [];
  new MutationObserver((records) => {
    for (const { target } of records) {
      const version = Number(target.getAttribute("data-matchday-version"));
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => window.paints.push({
          id: target.getAttribute("data-matchday-match"),
          version,
          at: performance.timeOrigin + performance.now(),
        });
        channel.port2.postMessage(0);
      });
    }
  }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["data-matchday-version"] });
</script>
<script src="${serviceUrl}/widget.js" async></script>
</body></html>`;
}

/** Resolves when the widget of `id` has painted `version`, with the paint's time. */
export async function painted(page: Page, id: MatchId, version: number): Promise<number> {
  const handle = await page.waitForFunction(
    ([id, version]) =>
      (window as unknown as { paints: Paint[] }).paints.find(
        (paint) => paint.id === id && paint.version === version,
      )?.at,
    [id, version] as const,
  );
  return (await handle.jsonValue()) as number;
}

/** Resolves when the widget of `id` says `state` over `transport` (either may be left out). */
export async function widgetSays(
  page: Page,
  id: MatchId,
  expected: { state?: string; transport?: string },
): Promise<void> {
  await page.waitForFunction(
    ([id, { state, transport }]) => {
      const host = document.querySelector<HTMLElement>(`[data-matchday-match="${id}"]`);
      return (
        host !== null &&
        (state === undefined || host.dataset.matchdayState === state) &&
        (transport === undefined || host.dataset.matchdayTransport === transport)
      );
    },
    [id, expected] as const,
  );
}

/** The text the widget of `id` shows, shadow root included. */
export function widgetText(page: Page, id: MatchId): Promise<string> {
  return page.locator(`[data-matchday-match="${id}"] .card`).innerText();
}
