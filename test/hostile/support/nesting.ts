/** An object nesting `levels` deep, counting itself as level 1. */
export function nestedObject(levels: number): object {
  let value: object = {};
  for (let level = 1; level < levels; level++) value = { x: value };
  return value;
}

/** `depth` nested arrays around `inner`, as JSON text (deeper than a JS literal could be written). */
export function nestedArrays(depth: number, inner = ""): string {
  return "[".repeat(depth) + inner + "]".repeat(depth);
}
