/**
 * The compatibility corpus: other projects' documents (Blueprints, HookTemplates, Velero hook
 * declarations) that suites load in addition to the repository's own fixtures. It lives outside
 * the repository, at `$QUIESCE_CORPUS` or `../shared/corpus` beside the workspace root; suites that
 * read it carry the {@link CORPUS_TAG} tag, which the test configuration skips when it is absent.
 *
 * @example
 * ```ts
 * import { CORPUS_TAG, readCorpus } from "@quiesce/testing/corpus";
 * describe("Kanister examples", { tags: [CORPUS_TAG] }, () => {
 *   it("loads", () => expect(readCorpus("kanister/mysql-mysql-blueprint.yaml")).toContain("actions"));
 * });
 * ```
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
