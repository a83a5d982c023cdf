import { build, type BuildOptions } from "esbuild";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** Bundles the browser code into dist/public, which the server serves. */
const root = fileURLToPath(new URL("../../", import.meta.url));
const SOURCES = "client/pages";
const OUT = "dist/public";

/** Each page: its file, its script (and body, `<script>.html`), its title. */
const PAGES = [
  { file: "index.html", script: "home", title: "matchday · live scores" },
  { file: "match.html", script: "match", title: "Match · matchday" },
  // The console holds a token: keep its address out of other sites' logs.
  { file: "publish.html", script: "publish", title: "Publisher console · matchday", private: true },
];

/** The frame every page shares: head, site header with the connection line, and the body. */
function shell(page: (typeof PAGES)[number], body: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />${
      page.private ? `\n    <meta name="referrer" content="no-referrer" />` : ""
    }
    <title>${page.title}</title>
    <link rel="stylesheet" href="styles.css" />
    <script type="module" src="${page.script}.js"></script>
  </head>
  <body>
    <header class="site">
      <a class="brand" href="./">matchday</a>
      <p class="connection" id="connection" role="status"></p>
    </header>
${body}  </body>
</html>
`;
}

const common: BuildOptions = {
  absWorkingDir: root,
  outdir: OUT,
  bundle: true,
  minify: true,
  sourcemap: true,
  target: ["es2020"],
  logLevel: "warning",
};

// Chunk names carry a content hash: without this, every build would leave its old ones behind.
await rm(`${root}${OUT}/chunks`, { recursive: true, force: true });
await mkdir(`${root}${OUT}`, { recursive: true });
await Promise.all([
  // The embed snippet loads one classic script, possibly async, on any site.
  build({ ...common, entryPoints: { widget: "client/widget/index.ts" }, format: "iife" }),
  // The pages share socket.io-client and the library through one cached chunk.
  build({
    ...common,
    entryPoints: {
      ...Object.fromEntries(PAGES.map(({ script }) => [script, `${SOURCES}/${script}.ts`])),
      styles: `${SOURCES}/styles.css`,
    },
    format: "esm",
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
  }),
  ...PAGES.map(async (page) => {
    const body = await readFile(`${root}${SOURCES}/${page.script}.html`, "utf8");
    await writeFile(`${root}${OUT}/${page.file}`, shell(page, body));
  }),
]);
