import { readFile } from "node:fs/promises";
import { z } from "zod";
import type { Match, MatchUpdate } from "../../contract/index.js";
import { matchId } from "../../contract/fields.js";
import { applyUpdate } from "../../contract/apply-update.js";
import { matchPatch } from "../../contract/scores-schemas.js";
import { badArguments } from "../failure.js";

/**
 * One line of a timeline file: a publish (the server's own schema, less
 * `expectedVersion`), when it happened, and an optional note for people.
 */
const timelineLine = matchPatch.omit({ expectedVersion: true }).extend({
  /** Seconds since the start of the recording. */
  at: z.number().min(0),
  id: matchId,
  note: z.string().optional(),
});

/** One update of a timeline, as the full state of its match after it. */
export interface Step {
  /** Seconds since the start of the recording. */
  at: number;
  note: string | undefined;
  state: Required<Omit<MatchUpdate, "expectedVersion">>;
}

const EPOCH = new Date(0);

/**
 * Reads a JSON Lines timeline: every line checked before anything is
 * published, so a bad line never leaves half a match behind. Each update is
 * folded into its match's full state, as the server folds a publish (the
 * first one of a match names both teams), so each step can be published
 * again and again with the same result.
 */
export async function loadTimeline(path: string): Promise<Step[]> {
  const text = await readFile(path, "utf8").catch((err: Error) => {
    throw badArguments(`cannot read the timeline: ${err.message}`);
  });
  const matches = new Map<string, Match>();
  const steps: Step[] = [];
  for (const [index, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    const where = `${path}:${index + 1}`;
    const parsed = timelineLine.safeParse(parseJson(line, where));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw badArguments(`${where}: ${issue.path.join(".") || "line"}: ${issue.message}`);
    }
    const { at, note, ...update } = parsed.data;
    if (at < (steps.at(-1)?.at ?? 0)) throw badArguments(`${where}: "at" goes back in time`);
    let match: Match;
    try {
      match = applyUpdate(matches.get(update.id), update, EPOCH).match;
    } catch (err) {
      throw badArguments(`${where}: ${(err as Error).message}`);
    }
    matches.set(match.id, match);
    const { id, home, away, status, minute } = match;
    steps.push({ at, note, state: { id, home, away, status, minute } });
  }
  if (steps.length === 0) throw badArguments(`${path}: no updates`);
  return steps;
}

function parseJson(line: string, where: string): unknown {
  try {
    return JSON.parse(line);
  } catch (err) {
    throw badArguments(`${where}: not JSON (${(err as Error).message})`);
  }
}
