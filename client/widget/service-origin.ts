/** Where the embed snippet's script tag can be found when `currentScript` is not set. */
const SCRIPT_SELECTOR = 'script[src*="/widget.js"]';

/**
 * The origin of the service that served this script: the widget talks to
 * wherever it was loaded from. Call it while the script first runs;
 * `currentScript` is null later (and in some loaders), hence the fallback.
 */
export function serviceOrigin(doc: Document): string {
  const script =
    doc.currentScript instanceof HTMLScriptElement
      ? doc.currentScript
      : doc.querySelector<HTMLScriptElement>(SCRIPT_SELECTOR);
  if (!script?.src) throw new Error("matchday widget: cannot find its own <script src>");
  return new URL(script.src).origin;
}
