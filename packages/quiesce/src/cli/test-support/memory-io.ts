/** Helpers for the CLI tests: an in-memory IO and the corpus location. */
import { fileURLToPath } from "node:url";
import type { CliIO } from "../io.js";

/** The shared compatibility corpus (outside the repository). */
export const CORPUS = fileURLToPath(new URL("../../../../../../shared/corpus/", import.meta.url));

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
