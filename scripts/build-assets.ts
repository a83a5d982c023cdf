import { build, version, type BuildOptions, type Metafile } from "esbuild";
import { createHash } from "node:crypto";
import { access, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/**
 * Bundles the browser code into dist/public, which the server serves;
 * skipped when no file that went into the last build has changed.
 */
const root = fileURLToPath(new URL("../../", import.meta.url));
const SOURCES = "client/pages";
const OUT = "dist/public";
/** What the last build read and wrote, and a hash of what it read. */
const STAMP = `${OUT}/.build-stamp.json`;

interface Stamp {
  hash: string;
  inputs: string[];
  outputs: string[];
}

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
  metafile: true,
};

/** Builds everything; returns the files read and written (relative to the root). */
async function buildAll(): Promise<Omit<Stamp, "hash">> {
  // Chunk names carry a content hash: without this, every build would leave its old ones behind.
  await rm(`${root}${OUT}/chunks`, { recursive: true, force: true });
  await mkdir(`${root}${OUT}`, { recursive: true });
  const [widget, pages] = await Promise.all([
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
  const metafiles = [widget.metafile!, pages.metafile!];
  const files = (part: keyof Metafile) =>
    metafiles.flatMap((metafile) => Object.keys(metafile[part]));
  return {
    inputs: [...files("inputs"), ...PAGES.map(({ script }) => `${SOURCES}/${script}.html`)],
    outputs: [...files("outputs"), ...PAGES.map(({ file }) => `${OUT}/${file}`)],
  };
}

/** A hash of `inputs`, this script and esbuild's version: what decides the output. */
async function fingerprint(inputs: string[]): Promise<string> {
  const hash = createHash("sha256").update(version);
  for (const file of [fileURLToPath(import.meta.url), ...inputs.map((input) => root + input)]) {
    hash.update(file).update(await readFile(file).catch(() => "(missing)"));
  }
  return hash.digest("hex");
}

async function upToDate(): Promise<boolean> {
  const stamp = await readFile(`${root}${STAMP}`, "utf8").then(
    (text) => JSON.parse(text) as Stamp,
    () => undefined,
  );
  if (!stamp) return false;
  const present = await Promise.all(
    stamp.outputs.map((output) =>
      access(root + output).then(
        () => true,
        () => false,
      ),
    ),
  );
  return present.every(Boolean) && (await fingerprint(stamp.inputs)) === stamp.hash;
}

if (!(await upToDate())) {
  const built = await buildAll();
  const stamp: Stamp = { hash: await fingerprint(built.inputs), ...built };
  await writeFile(`${root}${STAMP}`, JSON.stringify(stamp));
}
