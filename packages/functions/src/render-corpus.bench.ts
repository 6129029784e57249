/**
 * Every template string of the corpus Blueprints (the compatibility corpus when present, the
 * repository's own fixtures always) rendered over one realistic Go-typed TemplateParams with
 * Kanister's function set, as a phase's arguments are: templates rendered per CPU-second, next to Go
 * text/template with sprig v2.22.0 + Kanister's ksprig rendering the same strings over the same
 * param.TemplateParams (fixtures/go-bench-corpus.json, recorded by tools/go-fixtures/record.sh
 * --bench). A template that fails in either is left out of both (the counts are printed).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type CompiledTemplate, compile, goValueFromJson } from "@quiesce/template";
import { corpusDir, fixturesDir, hasCorpus } from "@quiesce/testing/corpus";
import { TemplateParamsType } from "./go-params/kanister-types.js";
import { blueprintTemplates } from "./test-support/blueprint-templates.js";

interface GoSet {
  readonly name: string;
  readonly templates: number;
  readonly failed: number;
  readonly rendersPerSec: number;
  readonly compilesPerSec: number;
}
const go = JSON.parse(readFileSync(new URL("../fixtures/go-bench-corpus.json", import.meta.url), "utf8")) as {
  goVersion: string;
  date: string;
  results: GoSet[];
};

/**
 * Best operations per CPU-second of five ~200 ms windows of the process's CPU time after a warm-up
 * of 500 runs (the Go recorder's): CPU time, as the Go recorder measures, so other load on a shared
 * machine does not count.
 */
function opsPerSec(fn: () => void): number {
  for (let i = 0; i < 500; i++) fn();
  globalThis.gc?.();
  let best = 0;
  for (let w = 0; w < 5; w++) {
    let n = 0;
    const start = process.cpuUsage();
    let elapsed = 0;
    while (elapsed < 200_000_000) {
      fn();
      n++;
      const used = process.cpuUsage(start);
      elapsed = (used.user + used.system) * 1000;
    }
    best = Math.max(best, (n * 1e9) / elapsed);
  }
  return best;
}

const sources: [string, string][] = [["fixture Blueprints", join(fixturesDir(), "kanister")]];
if (hasCorpus()) sources.unshift(["corpus Blueprints", join(corpusDir(), "kanister")]);

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
console.log(
  `Kanister TemplateParams, dialect kanister, per CPU-second, against Go ${go.goVersion} + sprig v2.22.0 + ksprig (recorded ${go.date}; Go compiles include Funcs(ksprig(sprig.TxtFuncMap())))`,
);
console.log(
  "set                  templates  renders/s ours  renders/s Go  ratio  compiles/s ours  compiles/s Go  ratio",
);
let sink = 0;
for (const [name, dir] of sources) {
  const set = blueprintTemplates(dir);
  const data = goValueFromJson(TemplateParamsType, set.params);
  const compiled: CompiledTemplate[] = [];
  const failures: string[] = [];
  for (const t of set.templates) {
    try {
      const c = compile(t, { name: "args", dialect: "kanister" });
      c.render(data);
      compiled.push(c);
    } catch (err) {
      // Left out (and said why below): the params lack something it reads.
      failures.push(err instanceof Error ? err.message : String(err));
    }
  }
  const sets = opsPerSec(() => {
    for (const c of compiled) sink += c.render(data).length;
  });
  const compiles = opsPerSec(() => {
    for (const t of set.templates) sink += compile(t, { name: "args", dialect: "kanister" }).name.length;
  });
  const ours = sets * compiled.length;
  const oursCompiles = compiles * set.templates.length;
  const g = go.results.find((r) => r.name === name);
  const ratio = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)}×` : "-");
  console.log(
    [
      name.padEnd(20),
      `${compiled.length}/${set.templates.length}`.padStart(10),
      fmt(ours).padStart(15),
      (g ? fmt(g.rendersPerSec) : "-").padStart(13),
      ratio(ours, g?.rendersPerSec).padStart(6),
      fmt(oursCompiles).padStart(16),
      (g ? fmt(g.compilesPerSec) : "-").padStart(14),
      ratio(oursCompiles, g?.compilesPerSec).padStart(6),
    ].join(" "),
  );
  if (failures.length > 0) {
    const inGo = g ? `; in Go, ${g.failed} fail` : "";
    console.log(
      `  (${failures.length} fail over the bench's params and are left out${inGo}: ${failures.join("; ")})`,
    );
  }
  if (g && g.templates !== compiled.length) {
    console.log(`  (Go rendered ${g.templates} of them without error, we ${compiled.length})`);
  }
}
if (sink < 0) console.log(sink);
