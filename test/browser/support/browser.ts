import { chromium, type Browser, type Page } from "playwright-core";

/** Debian's Chromium; the tests never download a browser. */
const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

/**
 * One browser per suite and a fresh context (no shared storage or cache) per
 * page. Uncaught errors of any page fail the test that opened it.
 */
export function useBrowser() {
  let browser: Browser;
  const errors: Error[] = [];
  before(async () => {
    browser = await launchChromium();
  });
  afterEach(async () => {
    await Promise.all(browser.contexts().map((context) => context.close()));
    const found = errors.splice(0);
    if (found.length > 0) throw new Error(`page errors: ${found.map((e) => e.message).join("; ")}`);
  });
  after(async () => {
    await browser?.close();
  });
  return {
    async page(): Promise<Page> {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.on("pageerror", (err) => errors.push(err));
      return page;
    },
  };
}
