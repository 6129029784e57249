/**
 * Go's results for the compatibility corpus's templates, kept as digests so that nothing of the
 * corpus (templates, or the scripts Go prints from them) is committed:
 *
 *   tsx tools/go-fixtures/corpus-digests.ts cases <corpus-cases.json>
 *       the corpus's cases (from $QUIESCE_CORPUS or ../shared/corpus), each named by its key,
 *       for `go-fixtures record` — written outside the repository by record.sh;
 *   tsx tools/go-fixtures/corpus-digests.ts digest <sprig3-results.json> <kanister-results.json> <out.json>
 *       Go's two result files turned into packages/template/fixtures/go-corpus-digests.json.
 *
 * The digest file maps each case's key (SHA-256 of `[template, data]` as JSON) to, per dialect,
 * `{ output: <SHA-256 of Go's output> }` or `{ error: <class> }`; the class is `parse` or `exec`, with
 * the two families of Go errors the differential test knows as deliberate differences named
 * (`exec:int64-for-int`, `exec:nil-map-argument`).
 */
import { readFileSync, writeFileSync } from "node:fs";
import {
  corpusCaseKey,
  corpusCases,
  outputDigest,
} from "../../packages/template/src/test-support/corpus-cases.js";
import { corpusDir, hasCorpus } from "../../packages/testing/src/corpus.js";

interface GoResult {
  name: string;
  output?: string;
  error?: string;
}

/** The class of a Go text/template error, from its message. */
function errorClass(message: string): string {
  if (message.includes("wrong type for value; expected int; got int64")) return "exec:int64-for-int";
  if (message.includes("expected map[string]interface {}; got interface {}")) return "exec:nil-map-argument";
  // Execute's errors name the action: `template: NAME:LINE:COL: executing "NAME" at <…>: …`; a
  // recovered panic is an execution failure too. Everything else failed in Parse.
  return /^template: .*: executing "/s.test(message) || message.startsWith("panic: ") ? "exec" : "parse";
}

const [mode, ...files] = process.argv.slice(2);
if (mode === "cases" && files.length === 1) {
  if (!hasCorpus()) throw new Error(`compatibility corpus not found at ${corpusDir()} (set QUIESCE_CORPUS)`);
  const cases = corpusCases(corpusDir()).map((c) => ({
    name: corpusCaseKey(c),
    template: c.template,
    data: c.data,
  }));
  writeFileSync(files[0] as string, `${JSON.stringify(cases)}\n`);
  console.log(`${cases.length} corpus cases`);
} else if (mode === "digest" && files.length === 3) {
  const [sprig3, kanister, out] = files as [string, string, string];
  const digests: Record<string, Record<string, { output: string } | { error: string }>> = {};
  for (const [dialect, file] of [
    ["sprig3", sprig3],
    ["kanister", kanister],
  ] as const) {
    for (const r of JSON.parse(readFileSync(file, "utf8")) as GoResult[]) {
      const entry = digests[r.name] ?? {};
      digests[r.name] = entry;
      entry[dialect] =
        r.error !== undefined ? { error: errorClass(r.error) } : { output: outputDigest(r.output ?? "") };
    }
  }
  const sorted = Object.fromEntries(Object.entries(digests).sort(([a], [b]) => (a < b ? -1 : 1)));
  writeFileSync(out, `${JSON.stringify({ cases: sorted }, null, 1)}\n`);
  console.log(`${Object.keys(sorted).length} corpus digests`);
} else {
  console.error(
    "usage: corpus-digests.ts cases <out.json> | digest <sprig3.json> <kanister.json> <out.json>",
  );
  process.exit(2);
}
