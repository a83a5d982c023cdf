import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { summarizeProfile, type ProfileSummary } from "../report/cpu-profile.js";
import { SCRATCH_DIR } from "../support/paths.js";
import { TARGET_NAMES, type Target } from "../targets/target.js";
import { runFanout, type BenchContext, type FanoutPlan } from "./fanout.js";

export interface ProfileResult {
  target: Target["id"];
  viewers: number;
  /** Where the `.cpuprofile` is, for Chrome DevTools or speedscope. */
  path: string;
  summary: ProfileSummary;
}

/** Functions listed per profile. */
const TOP_FUNCTIONS = 15;

/**
 * One extra fan-out run of `target` alone, under `node --cpu-prof` (kept out
 * of the measured runs: profiling slows the server down), summarized by self
 * time.
 */
export async function runProfile(
  target: Target,
  plan: FanoutPlan,
  ctx: BenchContext,
): Promise<ProfileResult> {
  const dir = `${SCRATCH_DIR}profiles/${target.id}-${plan.viewers}`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await runFanout(target, "single", plan, ctx, ["--cpu-prof", `--cpu-prof-dir=${dir}`]);
  const file = readdirSync(dir).find((name) => name.endsWith(".cpuprofile"));
  if (!file) throw new Error(`${TARGET_NAMES[target.id]} wrote no CPU profile in ${dir}`);
  const path = `${dir}/${file}`;
  return {
    target: target.id,
    viewers: plan.viewers,
    path,
    summary: summarizeProfile(path, TOP_FUNCTIONS),
  };
}
