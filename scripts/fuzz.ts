/**
 * `./run fuzz [runs] [seed]`: the loader and template fuzz suites at length (default 20,000 documents
 * per target instead of the normal run's few hundred), then a table of documents tried, coded
 * errors and uncoded exceptions per target. Exits non-zero when anything escaped uncoded.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const runs = Number(process.argv[2] ?? 20_000);
const seed = process.argv[3];
const dir = mkdtempSync(join(tmpdir(), "quiesce-fuzz-"));
const report = join(dir, "report.jsonl");
const env = {
  ...process.env,
  QUIESCE_FUZZ_RUNS: String(runs),
  QUIESCE_FUZZ_REPORT: report,
  ...(seed ? { QUIESCE_FUZZ_SEED: seed } : {}),
};
const vitest = join(root, "node_modules", ".bin", "vitest");
const run = spawnSync(vitest, ["run", "packages/quiesce/src/fuzz", "--testTimeout=0"], {
  cwd: root,
  env,
  stdio: "inherit",
});
const rows = existsSync(report)
  ? readFileSync(report, "utf8")
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { target: string; tried: number; coded: number; uncoded: number })
  : [];
rmSync(dir, { recursive: true, force: true });
const width = Math.max(6, ...rows.map((r) => r.target.length));
const line = (a: string, b: string, c: string, d: string) =>
  `${a.padEnd(width)}  ${b.padStart(9)}  ${c.padStart(12)}  ${d.padStart(9)}\n`;
process.stdout.write(`\nfuzz: ${runs} documents per target${seed ? `, seed ${seed}` : ""}\n`);
process.stdout.write(line("target", "tried", "coded errors", "uncoded"));
for (const r of rows)
  process.stdout.write(line(r.target, String(r.tried), String(r.coded), String(r.uncoded)));
const total = (k: "tried" | "coded" | "uncoded") => rows.reduce((n, r) => n + r[k], 0);
process.stdout.write(line("total", String(total("tried")), String(total("coded")), String(total("uncoded"))));
process.exit(run.status ?? 1);
