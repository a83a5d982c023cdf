/** A Markdown table; columns after the first are right-aligned (they hold numbers). */
export function markdownTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>) {
  const align = headers.map((_, index) => (index === 0 ? "---" : "---:"));
  return [headers, align, ...rows].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}
