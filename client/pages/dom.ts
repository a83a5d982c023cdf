/** The page element with this id; throws when the page markup lacks it, so a mismatch fails at once. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`page markup has no #${id}`);
  return element as T;
}
