/**
 * The template sets of the corpus render benchmark (packages/functions/src/render-corpus.bench.ts),
 * for `go-fixtures bench-set`: every template string of the corpus Blueprints (when the corpus is
 * present) and of the repository's own fixture Blueprints, with their TemplateParams JSON. Written
 * outside the repository by record.sh — the corpus's text is never committed.
 *
 *   tsx tools/go-fixtures/corpus-bench-sets.ts <sets.json>
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { blueprintTemplates } from "../../packages/functions/src/test-support/blueprint-templates.js";
import { corpusDir, fixturesDir, hasCorpus } from "../../packages/testing/src/corpus.js";

const out = process.argv[2];
if (out === undefined) {
  console.error("usage: corpus-bench-sets.ts <sets.json>");
  process.exit(2);
}
const sources: [string, string][] = [["fixture Blueprints", join(fixturesDir(), "kanister")]];
if (hasCorpus()) sources.unshift(["corpus Blueprints", join(corpusDir(), "kanister")]);
const sets = sources.map(([name, dir]) => {
  const { templates, params } = blueprintTemplates(dir);
  return { name, goType: "param.TemplateParams", data: params, templates };
});
writeFileSync(out, `${JSON.stringify(sets)}\n`);
console.log(sets.map((s) => `${s.name}: ${s.templates.length} templates`).join(", "));
