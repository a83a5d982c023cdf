/** The page element with this id; a page whose markup lacks it is a build error, so this throws. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`page markup has no #${id}`);
  return element as T;
}
