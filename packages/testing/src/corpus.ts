/**
 * Test documents: the repository's own fixtures (Blueprints, HookTemplates and the objects that
 * reference them, Velero hook declarations — written for quiesce, in `packages/testing/fixtures`,
 * always present in a checkout) and the compatibility corpus: other projects' documents that suites
 * load in addition. The corpus lives outside the repository, at `$QUIESCE_CORPUS` or
 * `../shared/corpus` beside the workspace root; suites that read it carry the {@link CORPUS_TAG}
 * tag, which the test configuration skips when it is absent.
 *
 * @example
 * ```ts
 * import { CORPUS_TAG, readCorpus } from "@quiesce/testing/corpus";
 * describe("Kanister examples", { tags: [CORPUS_TAG] }, () => {
 *   it("loads", () => expect(readCorpus("kanister/mysql-mysql-blueprint.yaml")).toContain("actions"));
 * });
 * ```
 * @module @quiesce/testing/corpus
 * @packageDocumentation
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** The test tag of every suite that reads the corpus; the test configuration skips it when the corpus is absent. */
export const CORPUS_TAG = "corpus";

/** The environment variable that points at a corpus elsewhere. */
export const CORPUS_ENV = "QUIESCE_CORPUS";

/** The nearest ancestor of `from` holding a `pnpm-workspace.yaml`. */
function workspaceRoot(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Where the corpus is expected: `$QUIESCE_CORPUS` when set (relative to the current directory),
 * else `../shared/corpus` relative to the workspace root (found from this module, else the current
 * directory). The directory need not exist; see {@link hasCorpus}.
 */
export function corpusDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const configured = env[CORPUS_ENV];
  if (configured !== undefined && configured !== "") return resolve(configured);
  const root = workspaceRoot(import.meta.dirname) ?? workspaceRoot(process.cwd()) ?? process.cwd();
  return resolve(root, "../shared/corpus");
}

/** Whether the corpus directory exists. */
export function hasCorpus(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const dir = corpusDir(env);
  return existsSync(dir) && statSync(dir).isDirectory();
}

/** The absolute path of `path` (e.g. `kanister/mysql-mysql-blueprint.yaml`) inside the corpus. */
export function corpusPath(path: string): string {
  return resolve(corpusDir(), path);
}

/** The text of one corpus file. */
export function readCorpus(path: string): string {
  return readFileSync(corpusPath(path), "utf8");
}

/**
 * The names of the YAML files in one corpus folder (`kanister`, `kubestash`, `velero`), sorted;
 * empty when the corpus is absent, so `it.each(corpusFiles(…))` declares no tests then.
 */
export function corpusFiles(folder: string, suffix = ".yaml"): string[] {
  const dir = corpusPath(folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort();
}

/** The repository's own fixtures (`packages/testing/fixtures`, in a workspace checkout; not published). */
export function fixturesDir(): string {
  return resolve(import.meta.dirname, "../fixtures");
}

/** The absolute path of `path` (e.g. `kanister/ledger-blueprint.yaml`) inside the fixtures. */
export function fixturePath(path: string): string {
  return resolve(fixturesDir(), path);
}

/** The text of one fixture file. */
export function readFixture(path: string): string {
  return readFileSync(fixturePath(path), "utf8");
}

/** The names of the YAML files in one fixtures folder (`kanister`, `kubestash`, `velero`), sorted. */
export function fixtureFiles(folder: string, suffix = ".yaml"): string[] {
  return readdirSync(fixturePath(folder))
    .filter((f) => f.endsWith(suffix))
    .sort();
}

/** A set of test documents: the own fixtures, or the compatibility corpus (tagged). */
export interface DocumentSet {
  /** `fixtures` or `corpus`. */
  name: "fixtures" | "corpus";
  /** Its directory. */
  dir: string;
  /** Test options: the corpus set carries {@link CORPUS_TAG}. */
  options: { tags: string[] };
  /** The YAML files of one folder, sorted (none for an absent corpus). */
  files(folder: string): string[];
  /** The text of one file, by its path inside the set. */
  read(path: string): string;
}

/**
 * Both document sets, for suites whose assertions hold for every document of a format: the own
 * fixtures always run, the corpus where present.
 *
 * @example
 * ```ts
 * describe.each(documentSets())("$name", (set) => {
 *   it.each(set.files("kanister"))("%s loads", set.options, (f) => loadBlueprint(set.read(`kanister/${f}`)));
 * });
 * ```
 */
export function documentSets(): DocumentSet[] {
  return [
    { name: "fixtures", dir: fixturesDir(), options: { tags: [] }, files: fixtureFiles, read: readFixture },
    {
      name: "corpus",
      dir: corpusDir(),
      options: { tags: [CORPUS_TAG] },
      files: corpusFiles,
      read: readCorpus,
    },
  ];
}
