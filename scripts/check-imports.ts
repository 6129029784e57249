/**
 * Import hygiene: no import cycles between source files, no package reaching into another's
 * files, and package dependencies pointing the way ARCHITECTURE.md draws them.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");

/** Which workspace packages each package may import (the architecture's arrows). */
const allowed: Record<string, string[]> = {
  core: [],
  template: ["core"],
  kube: ["core"],
  testing: ["core", "kube"],
  functions: ["core", "template", "kube"],
  executors: ["core", "template", "kube"],
  hooks: ["core", "template", "kube", "functions", "executors"],
  quiesce: ["core", "template", "kube", "functions", "executors", "hooks", "testing"],
};

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (/\.ts$/.test(name) && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

const IMPORT =
  /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|import\s+["']([^"']+)["']/g;
const problems: string[] = [];
const graph = new Map<string, string[]>();

for (const pkg of readdirSync(join(root, "packages"))) {
  const src = join(root, "packages", pkg, "src");
  let files: string[];
  try {
    files = walk(src);
  } catch {
    continue;
  }
  const manifest = JSON.parse(readFileSync(join(root, "packages", pkg, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const declared = new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.devDependencies ?? {}),
  ]);
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const edges: string[] = [];
    const isTest = /\.(test|bench)\.ts$/.test(file) || file.includes("test-support");
    for (const m of text.matchAll(IMPORT)) {
      const spec = (m[1] ?? m[2] ?? m[3]) as string;
      const where = relative(root, file);
      if (spec.startsWith(".")) {
        const target = resolve(dirname(file), spec).replace(/\.js$/, ".ts");
        if (!target.startsWith(src)) problems.push(`${where}: relative import "${spec}" leaves its package`);
        else if (!isTest) edges.push(target.endsWith(".ts") ? target : `${target}.ts`);
        continue;
      }
      const ws = /^@quiesce\/([^/]+)(\/.*)?$/.exec(spec) ?? /^(quiesce)(\/.*)?$/.exec(spec);
      if (!ws) continue;
      const dep = ws[1] as string;
      if (ws[2]?.includes("/src")) problems.push(`${where}: imports another package's sources ("${spec}")`);
      if (dep === pkg) continue;
      const okForTests = isTest && (dep === "testing" || (allowed[dep] ?? []).length >= 0);
      if (!(allowed[pkg] ?? []).includes(dep) && !okForTests) {
        problems.push(`${where}: package "${pkg}" may not import "${spec}"`);
      }
      const name = dep === "quiesce" ? "quiesce" : `@quiesce/${dep}`;
      if (!declared.has(name))
        problems.push(`${where}: imports "${spec}" but package.json does not declare ${name}`);
    }
    graph.set(file, edges);
  }
}

// Tarjan's strongly connected components: any component with more than one file is a cycle.
let index = 0;
const stack: string[] = [];
const onStack = new Set<string>();
const idx = new Map<string, number>();
const low = new Map<string, number>();
function strong(v: string): void {
  idx.set(v, index);
  low.set(v, index);
  index++;
  stack.push(v);
  onStack.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!graph.has(w)) continue;
    if (!idx.has(w)) {
      strong(w);
      low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, idx.get(w) as number));
  }
  if (low.get(v) === idx.get(v)) {
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      component.push(relative(root, w));
    } while (w !== v);
    if (component.length > 1) problems.push(`import cycle: ${component.sort().join(" → ")}`);
  }
}
for (const v of graph.keys()) if (!idx.has(v)) strong(v);

if (problems.length > 0) {
  process.stderr.write(`${problems.join("\n")}\n`);
  process.exit(1);
}
process.stdout.write(`imports: ${graph.size} files, no cycles, package boundaries respected\n`);
