/** The fuzz oracle: whatever a loader is given, it returns or throws a coded QuiesceError naming a path. */
import fc from "fast-check";
import { expect, it } from "vitest";
import { QuiesceError } from "../../index.js";
import { fuzzParameters, reportFuzz } from "./budget.js";

/** Why a thrown value is not acceptable, or undefined when it is. */
export function uncodedReason(err: unknown, needsPath: boolean): string | undefined {
  if (!(err instanceof QuiesceError)) {
    return `not a QuiesceError: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`.slice(
      0,
      300,
    );
  }
  if (!/^QUIESCE_[A-Z0-9_]+$/.test(err.code)) return `bad code ${err.code}`;
  if (!needsPath) return undefined;
  const { path, issues } = err.details as { path?: unknown; issues?: unknown };
  const issuePaths =
    Array.isArray(issues) &&
    issues.length > 0 &&
    issues.every((i) => typeof (i as { path?: unknown } | null)?.path === "string");
  return typeof path === "string" || issuePaths
    ? undefined
    : `no path: ${err.code} ${err.message}`.slice(0, 300);
}

/** Counts tries and collects the inputs that made a target throw something uncoded. */
export class FuzzTally {
  tried = 0;
  coded = 0;
  readonly failures: { input: string; reason: string }[] = [];

  constructor(
    readonly target: string,
    private readonly needsPath = true,
  ) {}

  /** Runs `fn` on one input; a return or a coded error passes, anything else is recorded. */
  check(input: unknown, fn: () => unknown): void {
    this.tried++;
    try {
      fn();
    } catch (err) {
      const reason = uncodedReason(err, this.needsPath);
      if (reason === undefined) this.coded++;
      else if (this.failures.length < 1000) this.failures.push({ input: preview(input), reason });
    }
  }

  /** Async variant of {@link check}. */
  async checkAsync(input: unknown, fn: () => Promise<unknown>): Promise<void> {
    this.tried++;
    try {
      await fn();
    } catch (err) {
      const reason = uncodedReason(err, this.needsPath);
      if (reason === undefined) this.coded++;
      else if (this.failures.length < 1000) this.failures.push({ input: preview(input), reason });
    }
  }

  /** Writes the figures for `./run fuzz` and returns the first failures, for the assertion. */
  finish(): { input: string; reason: string }[] {
    reportFuzz(this.target, this.tried, this.failures.length, this.coded);
    return this.failures.slice(0, 5);
  }
}

/** A short description of an input: bounded however large, cyclic or shared it is. */
function preview(input: unknown): string {
  if (typeof input === "string") return input.slice(0, 400);
  let budget = 400;
  const seen = new Set<object>();
  const write = (v: unknown, depth: number): string => {
    if (budget <= 0) return "…";
    if (v === null || typeof v !== "object") {
      const s = typeof v === "string" ? JSON.stringify(v.slice(0, 40)) : String(v);
      budget -= s.length;
      return s;
    }
    if (seen.has(v)) return "(shared)";
    if (depth > 6) return Array.isArray(v) ? "[…]" : "{…}";
    seen.add(v);
    budget -= 2;
    const entries = Object.keys(v).slice(0, 8);
    const inner = entries.map(
      (k) => `${Array.isArray(v) ? "" : `${k}: `}${write((v as Record<string, unknown>)[k], depth + 1)}`,
    );
    return Array.isArray(v) ? `[${inner.join(", ")}]` : `{${inner.join(", ")}}`;
  };
  return write(input, 0).slice(0, 400);
}

/**
 * Declares one fuzz test: `fn` on `ci` inputs from `arb` (more with `./run fuzz`), passing when
 * every input returns or throws a coded QuiesceError (naming a path when `needsPath`).
 */
export function fuzzTarget(
  target: string,
  arb: fc.Arbitrary<unknown>,
  fn: (input: unknown) => unknown,
  options: { needsPath: boolean; ci: number },
): void {
  it(`${target} throws nothing but coded errors${options.needsPath ? " with a path" : ""}`, {
    timeout: 600_000,
  }, () => {
    const tally = new FuzzTally(target, options.needsPath);
    fc.assert(
      fc.property(arb, (input) => {
        tally.check(input, () => fn(input));
      }),
      fuzzParameters(options.ci),
    );
    expect(tally.finish()).toEqual([]);
  });
}
