/**
 * Differential test of Kanister's Go-typed TemplateParams against real Go: every case of
 * fixtures/typed-cases.json was decoded by tools/go-fixtures into the Go declaration of
 * param.TemplateParams (and the corev1/v1alpha1 types it holds) and rendered by text/template with
 * sprig v2.22.0 + Kanister's ksprig (typed-results-kanister.json) and with sprig v3
 * (typed-results-sprig3.json). The same JSON decoded with goValueFromJson must print the same bytes,
 * or fail where Go failed.
 */
import { readFileSync } from "node:fs";
import { goValueFromJson, render, type TemplateDialect } from "@quiesce/template";
import { describe, expect, it } from "vitest";
import { TemplateParamsType } from "./kanister-types.js";

interface Case {
  readonly name: string;
  readonly template: string;
  readonly goType: string;
  readonly data: unknown;
}
interface GoResult {
  readonly name: string;
  readonly output?: string;
  readonly error?: string;
}

const fixtures = new URL("../../fixtures/", import.meta.url);
const cases = (JSON.parse(readFileSync(new URL("typed-cases.json", fixtures), "utf8")) as { cases: Case[] })
  .cases;

/** Go prints a pointer nested in a value as its address, which changes from run to run. */
const ADDRESS = /0xc[0-9a-f]{6,}/g;

for (const [dialect, file] of [
  ["kanister", "typed-results-kanister.json"],
  ["sprig3", "typed-results-sprig3.json"],
] as const satisfies ReadonlyArray<readonly [TemplateDialect, string]>) {
  const results = new Map(
    (JSON.parse(readFileSync(new URL(file, fixtures), "utf8")) as GoResult[]).map((r) => [r.name, r]),
  );
  describe(`Kanister's TemplateParams against Go (${dialect})`, () => {
    it("has a recorded Go result for every case", () => {
      expect(cases.length).toBeGreaterThan(50);
      for (const c of cases) expect(results.has(c.name), c.name).toBe(true);
    });

    for (const c of cases) {
      const go = results.get(c.name);
      if (go === undefined) continue;
      it(`${c.name}: ${c.template.slice(0, 70)}`, () => {
        expect(c.goType).toBe("param.TemplateParams");
        let out: string | undefined;
        let err: unknown;
        try {
          out = render(c.template, goValueFromJson(TemplateParamsType, c.data), { name: c.name, dialect });
        } catch (e) {
          err = e;
        }
        if (go.error !== undefined) {
          expect(err, `Go failed with: ${go.error}; we printed ${JSON.stringify(out)}`).toBeDefined();
          return;
        }
        if (err !== undefined) throw err;
        expect(out?.replace(ADDRESS, "0xc000010000")).toBe(go.output?.replace(ADDRESS, "0xc000010000"));
      });
    }
  });
}
