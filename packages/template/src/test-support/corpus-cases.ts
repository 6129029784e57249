/**
 * Differential cases from the compatibility corpus: every string holding a template in its Kanister
 * Blueprints and KubeStash HookTemplates, rendered against data synthesised from the fields the
 * template itself references (Go and we see the same data, so outputs — or errors — must agree).
 * They are extracted when the tests run (and when Go's results are recorded, by
 * tools/go-fixtures): the corpus stays outside the repository, and so does every string of it —
 * Go's results are kept as digests, keyed by {@link corpusCaseKey}.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

/** One corpus case: a template string and the data synthesised for it. */
export interface CorpusCase {
  /** `corpus/<kanister|kubestash>/<file>/<n>`, for test titles only (never recorded). */
  name: string;
  template: string;
  data: unknown;
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** The key of a case's recorded Go results: the SHA-256 of `[template, data]` as JSON. */
export function corpusCaseKey(c: Pick<CorpusCase, "template" | "data">): string {
  return sha256(JSON.stringify([c.template, c.data]));
}

/** How a recorded output is compared: its SHA-256. */
export function outputDigest(output: string): string {
  return sha256(output);
}

type Tree = Record<string, unknown>;

function templateStrings(v: unknown, out: string[]): void {
  if (typeof v === "string") {
    if (v.includes("{{")) out.push(v);
  } else if (Array.isArray(v)) for (const e of v) templateStrings(e, out);
  else if (v !== null && typeof v === "object") {
    for (const [k, e] of Object.entries(v)) {
      if (k.includes("{{")) out.push(k);
      templateStrings(e, out);
    }
  }
}

function setPath(root: Tree, path: readonly string[], leaf: unknown): void {
  let node = root;
  path.forEach((seg, i) => {
    const last = i === path.length - 1;
    const cur = node[seg];
    if (last) {
      if (cur === undefined || (typeof cur === "string" && typeof leaf !== "string")) node[seg] = leaf;
      return;
    }
    if (cur === null || typeof cur !== "object" || Array.isArray(cur)) node[seg] = {};
    node = node[seg] as Tree;
  });
}

/** Data with every `.A.B.C` chain present: strings at the leaves, lists where `index X 0` is used. */
function dataFor(template: string): Tree {
  const root: Tree = {};
  const actions = template.match(/\{\{[\s\S]*?\}\}/g) ?? [];
  for (const a of actions) {
    for (const m of a.matchAll(/(?<![\w$)])\.([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)/g)) {
      const path = (m[1] ?? "").split(".");
      setPath(root, path, `${path.at(-1)}-value`);
    }
    for (const m of a.matchAll(/\(index\s+\.([\w.]+)\s+(\d+)\)\.(\w+)/g)) {
      const field = m[3] ?? "";
      setPath(
        root,
        (m[1] ?? "").split("."),
        [0, 1].map((i) => ({ [field]: `${field}-${i}` })),
      );
    }
    for (const m of a.matchAll(/index\s+\.([\w.]+)\s+(\d+)/g)) {
      setPath(root, (m[1] ?? "").split("."), ["item-0", "item-1", "item-2"]);
    }
    for (const m of a.matchAll(/range\s+(?:\$\w+\s*(?:,\s*\$\w+\s*)?:=\s*)?\.([\w.]+)/g)) {
      setPath(root, (m[1] ?? "").split("."), ["item-0", "item-1"]);
    }
    for (const m of a.matchAll(/index\s+\.([\w.]+)\s+"([^"]+)"/g)) {
      setPath(root, [...(m[1] ?? "").split("."), m[2] ?? ""], `${m[2]}-value`);
    }
  }
  if ("Time" in root) root.Time = "2024-03-05T07:08:09.123456789Z";
  return root;
}

/** Corpus cases: one per distinct template string. */
export function corpusCases(corpusDir: string): CorpusCase[] {
  const out: CorpusCase[] = [];
  const seen = new Set<string>();
  for (const sub of ["kanister", "kubestash"]) {
    const dir = join(corpusDir, sub);
    for (const file of readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()) {
      const strings: string[] = [];
      for (const doc of parseAllDocuments(readFileSync(join(dir, file), "utf8")))
        templateStrings(doc.toJS(), strings);
      let i = 0;
      for (const t of strings) {
        if (seen.has(t)) continue;
        seen.add(t);
        i++;
        out.push({
          name: `corpus/${sub}/${file.replace(/\.ya?ml$/, "")}/${String(i).padStart(2, "0")}`,
          template: t,
          data: dataFor(t),
        });
      }
    }
  }
  return out;
}
