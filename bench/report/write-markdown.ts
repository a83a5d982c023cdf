import { writeFileSync } from "node:fs";
import { format, resolveConfig } from "prettier";

/**
 * Writes Markdown formatted with the project's Prettier settings, so the
 * generated report passes `prettier --check` like every hand-written file.
 */
export async function writeMarkdown(path: string, markdown: string): Promise<void> {
  const options = await resolveConfig(path);
  writeFileSync(path, await format(markdown, { ...options, filepath: path }));
}
