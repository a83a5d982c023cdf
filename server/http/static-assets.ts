import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import express, { type RequestHandler } from "express";

/** Where `npm run build` puts the browser bundles and pages. */
export const PUBLIC_DIR = fileURLToPath(new URL("../../public/", import.meta.url));

/**
 * Serves the built pages and bundles. Bundles may be cached for a while
 * (the embed snippet's URL never changes, so not forever); pages are
 * revalidated on every load.
 */
export function staticAssets(): RequestHandler {
  if (!existsSync(PUBLIC_DIR)) {
    throw new Error(`no built assets in ${PUBLIC_DIR}: run "npm run build" first`);
  }
  return express.static(PUBLIC_DIR, {
    index: "index.html",
    extensions: ["html"],
    setHeaders(res, path) {
      const bundle = /\.(js|css|map|svg|png)$/.test(path);
      res.set("Cache-Control", bundle ? "public, max-age=300" : "no-cache");
    },
  });
}
