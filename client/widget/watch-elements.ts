/**
 * Calls `found` once for every element matching `selector` in `doc`, now
 * and whenever one is added later (pages that render after load).
 */
export function watchElements(
  doc: Document,
  selector: string,
  found: (element: HTMLElement) => void,
): void {
  const seen = new WeakSet<Element>();
  const take = (element: Element) => {
    if (seen.has(element) || !(element instanceof HTMLElement)) return;
    seen.add(element);
    found(element);
  };
  const scan = (node: Element | Document) => {
    if (node instanceof Element && node.matches(selector)) take(node);
    node.querySelectorAll(selector).forEach(take);
  };
  scan(doc);
  new MutationObserver((records) => {
    for (const record of records) {
      record.addedNodes.forEach((node) => node instanceof Element && scan(node));
    }
  }).observe(doc.documentElement, { childList: true, subtree: true });
}
