import { build } from "esbuild";
import { fileURLToPath } from "node:url";

/** Bundles the browser code into dist/public, which the server serves. */
const root = fileURLToPath(new URL("../../", import.meta.url));

await build({
  absWorkingDir: root,
  entryPoints: { widget: "client/widget/index.ts" },
  outdir: "dist/public",
  bundle: true,
  minify: true,
  sourcemap: true,
  format: "iife",
  target: ["es2020"],
  logLevel: "warning",
});
