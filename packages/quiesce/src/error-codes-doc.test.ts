import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect, it } from "vitest";

// docs/errors.md is the reference of every error code: each `QUIESCE_*` string a package's source
// defines must be on it (as a code, or among the environment variables of the same prefix), and
// each code its table lists must still exist.
const root = resolve(import.meta.dirname, "../../..");

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== "node_modules" && name !== "dist" && name !== "test-support") sources(path, out);
    } else if (/\.ts$/.test(name) && !/\.(test|bench|test-d)\.ts$/.test(name)) out.push(path);
  }
  return out;
}

const defined = new Set<string>();
for (const pkg of readdirSync(join(root, "packages"))) {
  const src = join(root, "packages", pkg, "src");
  if (!statSync(join(root, "packages", pkg)).isDirectory()) continue;
  for (const file of sources(src)) {
    // Whole names only: `QUIESCE_KUBE_` as a prefix test is not a code.
    for (const m of readFileSync(file, "utf8").matchAll(/\bQUIESCE_[A-Z0-9_]*[A-Z0-9]\b(?!_)/g))
      defined.add(m[0]);
  }
}
const page = readFileSync(join(root, "docs", "errors.md"), "utf8");
const tabled = new Set(
  [...page.matchAll(/^\| `(QUIESCE_[A-Z0-9_]+)`(?:, `(QUIESCE_[A-Z0-9_]+)`)?/gm)]
    .flatMap((m) => [m[1], m[2]])
    .filter((c): c is string => c !== undefined),
);

it("documents every QUIESCE_* string the packages define", () => {
  expect(defined.size).toBeGreaterThan(40);
  expect([...defined].filter((code) => !page.includes(`\`${code}\``)).sort()).toEqual([]);
});

it("lists no error code that the packages no longer define", () => {
  expect(tabled.size).toBeGreaterThan(40);
  expect([...tabled].filter((code) => !defined.has(code)).sort()).toEqual([]);
});
