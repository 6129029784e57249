/**
 * Differential test against real Go over the compatibility corpus: every template string of its
 * Blueprints and HookTemplates, with data synthesised from the fields it references, must print
 * exactly what Go's text/template printed (sprig v3 and sprig v2.22.0 + Kanister's ksprig), or fail
 * where Go failed. The corpus stays outside the repository, and so do its strings: Go's results are
 * recorded as digests (fixtures/go-corpus-digests.json, written by tools/go-fixtures/record.sh),
 * keyed by the SHA-256 of the case, and our output is compared by its SHA-256.
 *
 * @module-tag corpus
 */
import { readFileSync } from "node:fs";
import { ErrorCodes } from "@quiesce/core";
import { corpusDir, hasCorpus } from "@quiesce/testing/corpus";
import { afterEach, describe, expect, it, vi } from "vitest";
import { render, type TemplateDialect } from "./index.js";
import { type CorpusCase, corpusCaseKey, corpusCases, outputDigest } from "./test-support/corpus-cases.js";

type Recorded = { output: string } | { error: string };
const digests = (
  JSON.parse(readFileSync(new URL("../fixtures/go-corpus-digests.json", import.meta.url), "utf8")) as {
    cases: Record<string, Partial<Record<TemplateDialect, Recorded>>>;
  }
).cases;

/** Go errors we differ from on purpose (see go-differential.test.ts): we render where Go refused. */
const DELIBERATE: Readonly<Record<string, string>> = {
  "exec:int64-for-int": "int64 data passed to an int parameter: Go refuses it, the value model accepts it",
  "exec:nil-map-argument": "a nil map as a direct argument: Go accepts nil only as the piped value",
};

function attempt(c: CorpusCase, dialect: TemplateDialect): { output: string } | { error: unknown } {
  try {
    return { output: render(c.template, c.data, { name: c.name, dialect }) };
  } catch (error) {
    return { error };
  }
}

/**
 * Whether the output depends on the clock or on chance (sprig's `date` of a string prints the
 * current time; random functions): rendered again a year, a day, an hour and a second later, it
 * differs. Only that both sides succeed is compared then.
 */
function unstable(c: CorpusCase, dialect: TemplateDialect, first: string): boolean {
  vi.useFakeTimers({ toFake: ["Date", "hrtime", "performance"] });
  try {
    vi.advanceTimersByTime((366 * 24 + 25) * 3_600_000 + 61_001);
    const again = attempt(c, dialect);
    return !("output" in again) || again.output !== first;
  } finally {
    vi.useRealTimers();
  }
}

afterEach(() => {
  vi.useRealTimers();
});

// Collected even where the tag skips it: no corpus, no cases.
const cases = hasCorpus() ? corpusCases(corpusDir()) : [];

for (const dialect of ["sprig3", "kanister"] as const) {
  describe(`Go text/template over the compatibility corpus (${dialect})`, () => {
    it("has a recorded Go result for every template of the corpus", () => {
      expect(cases.length).toBeGreaterThan(100);
      const missing = cases
        .filter((c) => digests[corpusCaseKey(c)]?.[dialect] === undefined)
        .map((c) => c.name);
      // A corpus that changed needs its Go results recorded again: tools/go-fixtures/record.sh.
      expect(missing).toEqual([]);
    });

    for (const c of cases) {
      const go = digests[corpusCaseKey(c)]?.[dialect];
      if (go === undefined) continue;
      const deliberate = "error" in go ? DELIBERATE[go.error] : undefined;
      (deliberate === undefined ? it : it.skip)(`${c.name}: ${c.template.slice(0, 50)}`, () => {
        const ours = attempt(c, dialect);
        if ("error" in go) {
          expect("error" in ours, `Go failed (${go.error}); we printed ${JSON.stringify(ours)}`).toBe(true);
          const code = "error" in ours ? (ours.error as { code?: string }).code : undefined;
          // A parse error in Go is one here too, and an execution error is not a parse error.
          expect(code === ErrorCodes.TEMPLATE_PARSE, `Go's error class: ${go.error}; ours: ${code}`).toBe(
            go.error === "parse",
          );
          return;
        }
        if ("error" in ours) throw ours.error;
        if (outputDigest(ours.output) === go.output) return;
        expect(unstable(c, dialect, ours.output), `our output differs from Go's:\n${ours.output}`).toBe(true);
      });
    }
  });
}
