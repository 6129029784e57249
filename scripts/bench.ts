/**
 * Runs every benchmark (`packages/<pkg>/src/**\/*.bench.ts`, `examples/<ex>/src/**\/*.bench.ts`), each in a
 * fresh process so that memory figures are not polluted by the others. Benchmarks print their
 * own figures; they never fail the build on a figure. `pnpm bench <substring>` runs a subset;
 * `--heavy` adds the long rows (2 GiB streams, 5,000-pod fan-outs), which set `QUIESCE_BENCH_HEAVY=1`.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const heavy = args.includes("--heavy");
const filter = args.find((a) => !a.startsWith("--")) ?? "";

function walk(dir: string, out: string[] = []): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    if (name === "node_modules" || name === "dist") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith(".bench.ts")) out.push(path);
  }
  return out;
}

const files = [...walk(join(root, "packages")), ...walk(join(root, "examples"))]
  .filter((f) => relative(root, f).includes(filter))
  .sort();
let failed = 0;
for (const file of files) {
  process.stdout.write(`\n## ${relative(root, file)}\n`);
  const run = spawnSync(process.execPath, ["--conditions=source", "--expose-gc", "--import", "tsx", file], {
    stdio: "inherit",
    cwd: root,
    env: heavy ? { ...process.env, QUIESCE_BENCH_HEAVY: "1" } : process.env,
  });
  if (run.status !== 0) {
    failed++;
    process.stdout.write(`(benchmark exited with ${run.status ?? run.signal})\n`);
  }
}
process.stdout.write(`\n${files.length} benchmark files run${failed ? `, ${failed} did not finish` : ""}\n`);
