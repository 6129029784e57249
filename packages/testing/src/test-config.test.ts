import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

// vitest bundles its configuration without the `source` export condition, so in a fresh clone —
// where no package is built yet — a workspace package reached from it fails to resolve and not one
// test runs. The modules the configuration loads must import only Node and installed packages.
const workspace = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

function workspacePackages(): Set<string> {
  const names = new Set<string>();
  for (const dir of readdirSync(join(workspace, "packages"))) {
    const manifest = join(workspace, "packages", dir, "package.json");
    if (existsSync(manifest))
      names.add((JSON.parse(readFileSync(manifest, "utf8")) as { name: string }).name);
  }
  return names;
}

/** Every module `entry` imports, transitively through relative imports, with the bare specifiers each names. */
function importGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (graph.has(file)) continue;
    const source = readFileSync(file, "utf8");
    const specifiers = [...source.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)].map(
      (m) => m[1] as string,
    );
    graph.set(
      file,
      specifiers.filter((s) => !s.startsWith(".")),
    );
    for (const s of specifiers.filter((s) => s.startsWith("."))) {
      pending.push(resolve(dirname(file), s.replace(/\.js$/, ".ts")));
    }
  }
  return graph;
}

it("the test configuration loads before any workspace package is built", () => {
  const packages = workspacePackages();
  const graph = importGraph(join(workspace, "vitest.config.ts"));
  expect(graph.size).toBeGreaterThan(3); // the corpus and restic gates are among them
  const reached = [...graph].flatMap(([file, bare]) =>
    bare
      .filter((s) => packages.has(s) || [...packages].some((p) => s.startsWith(`${p}/`)))
      .map((s) => `${file.slice(workspace.length + 1)} imports ${s}`),
  );
  expect(reached).toEqual([]);
});
