import { fileURLToPath } from "node:url";

/** The repository root, from this file's compiled place in dist/bench/support/. */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Scratch space for profiles and raw results (git-ignored). */
export const SCRATCH_DIR = `${REPO_ROOT}.tmp/bench/`;

export const REPORT_PATH = `${REPO_ROOT}docs/benchmarks.md`;
export const CHART_PATH = `${REPO_ROOT}docs/benchmarks.svg`;
