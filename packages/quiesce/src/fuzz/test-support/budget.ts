/**
 * How many documents each fuzz property tries: a short budget in the normal test run, a long one
 * with `./run fuzz` (which sets QUIESCE_FUZZ_RUNS and collects the counts through QUIESCE_FUZZ_REPORT).
 */
import { appendFileSync } from "node:fs";

/** Runs per property: `$QUIESCE_FUZZ_RUNS`, else `ci`. */
export function fuzzRuns(ci: number): number {
  const wanted = Number(process.env.QUIESCE_FUZZ_RUNS);
  return Number.isFinite(wanted) && wanted > 0 ? Math.floor(wanted) : ci;
}

/** fast-check parameters: `runs` (see {@link fuzzRuns}) and `$QUIESCE_FUZZ_SEED` to replay a run. */
export function fuzzParameters(ci: number): { numRuns: number; seed?: number } {
  const seed = Number(process.env.QUIESCE_FUZZ_SEED);
  return {
    numRuns: fuzzRuns(ci),
    ...(process.env.QUIESCE_FUZZ_SEED && Number.isInteger(seed) ? { seed } : {}),
  };
}

/** Appends one target's figures to `$QUIESCE_FUZZ_REPORT` (JSON lines), when set. */
export function reportFuzz(target: string, tried: number, uncoded: number, coded: number): void {
  const file = process.env.QUIESCE_FUZZ_REPORT;
  if (file) appendFileSync(file, `${JSON.stringify({ target, tried, uncoded, coded })}\n`);
}
