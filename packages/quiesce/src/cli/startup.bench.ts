/**
 * Start-up time of `quiesce --help` and `quiesce --version`: wall time of a fresh process, run
 * from the source through tsx and, when `pnpm build` has run, from the built `dist/cli.js`. Prints
 * the median and the slowest of 15 runs after 2 warm-up runs; a bare `node -e 0` is the floor.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const packageDir = fileURLToPath(new URL("../..", import.meta.url));
const source = fileURLToPath(new URL("../cli.ts", import.meta.url));
const built = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
const RUNS = 15;

function time(args: readonly string[]): { median: number; max: number } {
  const samples: number[] = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const start = performance.now();
    const run = spawnSync(process.execPath, args, { cwd: packageDir, encoding: "utf8" });
    const ms = performance.now() - start;
    if (run.status !== 0) throw new Error(`${args.join(" ")} exited ${run.status}: ${run.stderr}`);
    if (i >= 2) samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)] ?? 0, max: samples[samples.length - 1] ?? 0 };
}

const rows: Array<[string, string[]]> = [["node -e 0 (floor)", ["-e", "0"]]];
for (const flag of ["--help", "--version"]) {
  if (existsSync(built)) rows.push([`dist/cli.js ${flag}`, [built, flag]]);
  rows.push([`tsx src/cli.ts ${flag}`, ["--conditions=source", "--import", "tsx", source, flag]]);
}
if (!existsSync(built))
  process.stdout.write("(dist/cli.js not built: run ./run pnpm build for the built figures)\n");
process.stdout.write(`| command | median ms | max ms (${RUNS} runs) |\n| --- | ---: | ---: |\n`);
for (const [label, args] of rows) {
  const { median, max } = time(args);
  process.stdout.write(`| ${label} | ${median.toFixed(0)} | ${max.toFixed(0)} |\n`);
}
