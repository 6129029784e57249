/** Helpers for the CLI tests: an in-memory IO and the corpus location. */
import { CORPUS_TAG, corpusDir, fixturesDir } from "@quiesce/testing/corpus";
import type { CliIO } from "../io.js";

/** The shared compatibility corpus (outside the repository; tests reading it carry {@link corpus}). */
export const CORPUS = corpusDir();

/** The repository's own fixtures (packages/testing/fixtures). */
export const FIXTURES = fixturesDir();

/** Test options of the tests that read the corpus: skipped where it is absent. */
export const corpus = { tags: [CORPUS_TAG] };

/** A CliIO writing into strings. */
export function memoryIO(cwd: string = CORPUS, env: Record<string, string | undefined> = {}) {
  const out = { stdout: "", stderr: "" };
  const io: CliIO = {
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s) },
    cwd,
    env,
  };
  return { io, out };
}
