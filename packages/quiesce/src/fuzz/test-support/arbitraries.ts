// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} strings are fuzz input (KubeStash substitution syntax) on purpose
/**
 * Fuzz inputs for the loaders: the repository's own fixture documents mutated structurally (values
 * replaced, keys deleted, subtrees wrapped, made cyclic, nested thousands deep, shared into
 * exponential DAGs) and textually (YAML syntax, anchors, aliases and tags spliced in), plus known
 * attacks (alias bombs, self-referencing aliases, undefined aliases, prototype keys).
 */
import { fixtureFiles, readFixture } from "@quiesce/testing/corpus";
import fc from "fast-check";
import { parseAllDocuments, stringify } from "yaml";

const WORDS = [
  "name",
  "func",
  "args",
  "phases",
  "actions",
  "kind",
  "apiVersion",
  "metadata",
  "spec",
  "hooks",
  "deferPhase",
  "command",
  "executor",
  "action",
  "exec",
  "pod",
  "selector",
  "namespace",
  "params",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "valueOf",
  "hasOwnProperty",
];
const STRINGS = [
  "{{ .Options.x }}",
  "{{",
  "}}",
  "{{ range . }}{{ end }}",
  '{{ template "x" }}',
  "{{ .StatefulSet.Pods }}",
  "30s",
  "-1s",
  "1h2m",
  "99999999999h",
  "1.5.5s",
  "",
  " ",
  "\u0000",
  "😀",
  "1e309",
  "0x1F",
  "~",
  "Deployment",
  "StatefulSet",
  "KubeExec",
  "KubeTask",
  "Always",
  "OnFailure",
  "Fail",
  "Continue",
  "a=b, c=d",
  "app in (x,y)",
  "!key",
  "${X:=y}",
  "${",
  '["sh","-c"]',
  "[1,2",
  "v1",
  "apps/v1",
  "core.kubestash.com/v1alpha1",
  "cr.kanister.io/v1alpha1",
  "velero.io/v1",
  "Pod",
  "Operator",
  "Function",
];

/** A key as documents have them, or an attacker would choose it. */
export const keyArb: fc.Arbitrary<string> = fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 8 }));

/** A scalar, biased towards the strings the formats give meaning to. */
export const leafArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...STRINGS),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt().map((b) => b),
);

/** Any JSON-like value, small. */
export const valueArb: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    leafArb,
    fc.array(tie("v"), { maxLength: 4 }),
    fc.dictionary(keyArb, tie("v"), { maxKeys: 4 }),
  ),
})).v;

type Container = Record<string | number, unknown>;

interface Edit {
  at: number;
  op: "set" | "delete" | "wrap" | "cycle" | "deep" | "bomb" | "key";
  value: unknown;
  key: string;
}

const editArb: fc.Arbitrary<Edit> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom<Edit["op"]>("set", "set", "set", "delete", "wrap", "cycle", "deep", "bomb", "key"),
  value: valueArb,
  key: keyArb,
});

function containers(
  root: unknown,
): { node: Container; key: string | number; parent: Container | undefined }[] {
  const out: { node: Container; key: string | number; parent: Container | undefined }[] = [];
  // Each object once: earlier edits may have made the tree cyclic or an exponential DAG.
  const seen = new Set<object>();
  const walk = (node: unknown, parent: Container | undefined, depth: number) => {
    if (node === null || typeof node !== "object" || depth > 30 || seen.has(node) || out.length > 2000)
      return;
    seen.add(node);
    for (const key of Object.keys(node)) {
      const k = Array.isArray(node) ? Number(key) : key;
      out.push({ node: node as Container, key: k, parent });
      walk((node as Container)[k], node as Container, depth + 1);
    }
  };
  walk(root, undefined, 0);
  return out;
}

function nest(value: unknown, depth: number): unknown {
  let v = value;
  for (let i = 0; i < depth; i++) v = i % 2 ? { x: v } : [v];
  return v;
}

function bomb(value: unknown, levels: number): unknown {
  let v: unknown = value;
  for (let i = 0; i < levels; i++) v = [v, v];
  return v;
}

/** Applies structural edits to a copy of `seed` (the result may be cyclic). */
export function applyEdits(seed: unknown, edits: readonly Edit[]): unknown {
  const root = { doc: structuredClone(seed) } as Container;
  for (const edit of edits) {
    const spots = containers(root);
    const spot = spots[edit.at % spots.length];
    if (!spot) continue;
    const { node, key } = spot;
    switch (edit.op) {
      case "set":
        node[key] = edit.value;
        break;
      case "delete":
        if (Array.isArray(node)) node.splice(Number(key), 1);
        else delete node[key];
        break;
      case "wrap":
        node[key] = [node[key]];
        break;
      case "cycle":
        node[key] = spot.parent ?? root.doc;
        break;
      case "deep":
        node[key] = nest(edit.value, 3000);
        break;
      case "bomb":
        node[key] = bomb(edit.value, 40);
        break;
      case "key":
        if (!Array.isArray(node))
          Object.defineProperty(node, edit.key, {
            value: edit.value,
            enumerable: true,
            configurable: true,
            writable: true,
          });
        break;
    }
  }
  return root.doc;
}

const SNIPPETS = [
  "&a ",
  "*a",
  "*f",
  "<<: *a\n",
  "!!binary ",
  "!tag ",
  "!!str ",
  "!!map ",
  "? ",
  ": ",
  "- ",
  "---\n",
  "...\n",
  "%YAML 1.1\n---\n",
  "{",
  "}",
  "[",
  "]",
  "'",
  '"',
  "\\",
  "\t",
  "\n",
  "#",
  "|\n",
  ">-\n",
  "&",
  "*",
  "!",
  "@",
  "`",
  "\u0000",
  "\uFFFF",
  "__proto__: ",
  "{{ ",
  " }}",
  "x: &a [*a]\n",
];

interface TextEdit {
  at: number;
  op: "insert" | "delete" | "replace";
  snippet: string;
  len: number;
}

const textEditArb: fc.Arbitrary<TextEdit> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom<TextEdit["op"]>("insert", "delete", "replace"),
  snippet: fc.oneof(fc.constantFrom(...SNIPPETS), fc.string({ maxLength: 6 })),
  len: fc.nat({ max: 30 }),
});

function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of edits) {
    const at = out.length === 0 ? 0 : e.at % out.length;
    if (e.op === "insert") out = out.slice(0, at) + e.snippet + out.slice(at);
    else if (e.op === "delete") out = out.slice(0, at) + out.slice(at + e.len);
    else out = out.slice(0, at) + e.snippet + out.slice(at + e.snippet.length);
  }
  return out;
}

/** YAML for a value (cycles and shared subtrees become anchors and aliases); JSON-ish if it cannot be written. */
export function toYaml(value: unknown): string {
  try {
    return stringify(value, { aliasDuplicateObjects: true }) ?? "";
  } catch {
    return "a: &a [*a]\n";
  }
}

/** Known attacks and oddities, as YAML text. */
export const NASTY_TEXTS: readonly string[] = [
  "a: &a [*a]\n",
  "args: &a {x: *a}\n",
  "kind: Blueprint\nactions: &a {backup: {phases: [{func: KubeExec, name: x, args: *a}]}}\n",
  "x: *f\n",
  "actions: *f\n",
  // Billion laughs.
  ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    .concat(
      Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(", ")}]`),
    )
    .join("\n"),
  `${"[".repeat(5000)}${"]".repeat(5000)}`,
  `${"- ".repeat(3000)}x`,
  `${"{a: ".repeat(3000)}1${"}".repeat(3000)}`,
  "__proto__: {polluted: true}\nkind: HookTemplate\n",
  "constructor: {prototype: {polluted: true}}\n",
  "a: 1\na: 2\n",
  "a: !!binary AAAA\n",
  "a: !!int 0x\n",
  "? [a, b]\n: c\n",
  "<<: [*x]\n",
  "---\na: 1\n---\nb: 2\n",
  "",
  "\u0000",
  "%YAML 9.9\n---\na: 1\n",
  "a: 'unterminated\n",
];

/** The parsed documents of the own fixtures in `folder` (one entry per YAML document). */
export function fixtureDocs(folder: string): unknown[] {
  const out: unknown[] = [];
  for (const file of fixtureFiles(folder)) {
    for (const doc of parseAllDocuments(readFixture(`${folder}/${file}`))) {
      const value = doc.toJS();
      if (value !== null && value !== undefined) out.push(value);
    }
  }
  return out;
}

/**
 * Inputs for a loader that takes YAML text or a parsed document: a seed mutated structurally, then
 * either handed over as an object (maybe cyclic) or written as YAML and mutated textually; or one
 * of the known attacks.
 */
export function documentArb(seeds: readonly unknown[]): fc.Arbitrary<unknown> {
  const mutated = fc
    .tuple(fc.constantFrom(...seeds), fc.array(editArb, { maxLength: 4 }))
    .map(([seed, edits]) => applyEdits(seed, edits));
  const asText = fc
    .tuple(mutated, fc.array(textEditArb, { maxLength: 4 }))
    .map(([doc, edits]) => applyTextEdits(toYaml(doc), edits));
  return fc.oneof(
    { arbitrary: mutated, weight: 4 },
    { arbitrary: asText, weight: 5 },
    { arbitrary: fc.constantFrom(...NASTY_TEXTS), weight: 1 },
    { arbitrary: valueArb, weight: 1 },
  );
}
