import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, GoTemplate } from "./engine.js";

/** Cases whose expected output or error text was recorded from Go 1.19's text/template (missingkey=error unless `o`). */
interface Case {
  t: string;
  d: unknown;
  /** Keys to add to the data as byte slices ([]byte in Go). */
  b?: Record<string, string>;
  /** Go's missingkey option when not "error". */
  o?: "zero" | "default";
  out?: string;
  err?: string;
}

const cases = JSON.parse(
  readFileSync(resolve(import.meta.dirname, "testdata/go-cases.json"), "utf8"),
) as Case[];

function run(c: Case): { out?: string; err?: string } {
  const data = c.d as Record<string, unknown>;
  if (c.b) for (const [k, v] of Object.entries(c.b)) data[k] = new TextEncoder().encode(v);
  try {
    return { out: new GoTemplate("t", c.t, {}, DEFAULT_LIMITS, c.o ?? "error").render(data) };
  } catch (err) {
    return { err: (err as Error).message };
  }
}

describe("Go text/template conformance", () => {
  it.each(cases.map((c) => [c.t, c] as const))("%s", (_t, c) => {
    const expected = c.err !== undefined ? { err: c.err } : { out: c.out };
    expect(run(c)).toEqual(expected);
  });
});
