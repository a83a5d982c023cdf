import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";

/**
 * The lowest safe version of each package that parses what clients send:
 * past releases of each could be crashed, or made to exhaust memory, by
 * one crafted packet.
 */
const FLOORS: Record<string, string> = {
  "socket.io-parser": "4.2.7",
  "engine.io": "6.6.7",
  ws: "8.21.1",
};

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

interface Installed {
  name: string;
  version: string;
  path: string;
}

/** Every package installed under `dir`, nested copies included. */
function installedUnder(dir: string, seen = new Set<string>()): Installed[] {
  const modules = join(dir, "node_modules");
  let entries: string[];
  try {
    entries = readdirSync(modules);
  } catch {
    return [];
  }
  const found: Installed[] = [];
  for (const entry of entries) {
    const dirs = entry.startsWith("@")
      ? readdirSync(join(modules, entry)).map((name) => join(modules, entry, name))
      : [join(modules, entry)];
    for (const packageDir of dirs) {
      const real = realpathSync(packageDir);
      if (seen.has(real)) continue;
      seen.add(real);
      try {
        const { name, version } = JSON.parse(readFileSync(join(real, "package.json"), "utf8"));
        if (typeof name === "string" && typeof version === "string") {
          found.push({ name, version, path: packageDir });
        }
      } catch {
        // Not a package (e.g. `.bin`).
      }
      found.push(...installedUnder(real, seen));
    }
  }
  return found;
}

/** Whether semver `version` is below `floor`; a prerelease is below its release. */
function below(version: string, floor: string): boolean {
  const [core, prerelease] = version.split(/-(.*)/s) as [string, string | undefined];
  const parts = core.split(".").map(Number);
  const floorParts = floor.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    if (parts[i] !== floorParts[i]) return parts[i] < floorParts[i];
  }
  return prerelease !== undefined;
}

/** Every installed copy of a floored package below its floor, as `path@version < floor`. */
function unsafeCopies(root: string): string[] {
  const copies = installedUnder(root).filter(({ name }) => Object.hasOwn(FLOORS, name));
  return copies
    .filter(({ name, version }) => below(version, FLOORS[name]))
    .map(({ name, version, path }) => `${relative(root, path)}@${version} < ${FLOORS[name]}`);
}

describe("hostile: dependency version floors", () => {
  it("compares versions as semver", () => {
    expect(below("8.21.0", "8.21.1")).to.equal(true);
    expect(below("8.21.1-beta.1", "8.21.1")).to.equal(true);
    expect(below("8.9.9", "8.21.1")).to.equal(true);
    expect(below("8.21.1", "8.21.1")).to.equal(false);
    expect(below("8.100.0", "8.21.1")).to.equal(false);
    expect(below("9.0.0", "8.21.1")).to.equal(false);
  });

  it("finds copies nested at any depth, under scopes too", () => {
    const root = mkdtempSync(join(tmpdir(), "matchday-floors-"));
    const install = (path: string, name: string, version: string) => {
      mkdirSync(join(root, path), { recursive: true });
      writeFileSync(join(root, path, "package.json"), JSON.stringify({ name, version }));
    };
    try {
      install("node_modules/ws", "ws", "8.23.0");
      install("node_modules/@scope/a/node_modules/ws", "ws", "8.17.0");
      install("node_modules/b/node_modules/c/node_modules/engine.io", "engine.io", "6.6.6");
      install("node_modules/socket.io-parser", "socket.io-parser", "4.2.7");
      expect(unsafeCopies(root)).to.have.members([
        "node_modules/@scope/a/node_modules/ws@8.17.0 < 8.21.1",
        "node_modules/b/node_modules/c/node_modules/engine.io@6.6.6 < 6.6.7",
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("installs no copy of socket.io-parser, engine.io or ws below its floor", () => {
    const names = new Set(installedUnder(ROOT).map((copy) => copy.name));
    for (const name of Object.keys(FLOORS))
      expect(names.has(name), `${name} is installed`).to.equal(true);
    expect(unsafeCopies(ROOT)).to.deep.equal([]);
  });
});
