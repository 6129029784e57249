import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CORPUS_ENV, corpusDir, corpusFiles, hasCorpus, readCorpus } from "./corpus.js";

const workspace = resolve(import.meta.dirname, "../../..");

describe("the corpus location", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("is ../shared/corpus beside the workspace root unless QUIESCE_CORPUS says otherwise", () => {
    expect(corpusDir({})).toBe(resolve(workspace, "../shared/corpus"));
    expect(corpusDir({ [CORPUS_ENV]: "" })).toBe(resolve(workspace, "../shared/corpus"));
    expect(corpusDir({ [CORPUS_ENV]: "/elsewhere/corpus" })).toBe("/elsewhere/corpus");
  });

  it("reads files and lists a folder's YAML files from QUIESCE_CORPUS", () => {
    const dir = mkdtempSync(join(tmpdir(), "quiesce-corpus-"));
    mkdirSync(join(dir, "kanister"));
    writeFileSync(join(dir, "kanister", "b.yaml"), "kind: Blueprint\n");
    writeFileSync(join(dir, "kanister", "a.yaml"), "kind: Blueprint\n");
    writeFileSync(join(dir, "kanister", "notes.md"), "# notes\n");
    vi.stubEnv(CORPUS_ENV, dir);
    expect(hasCorpus()).toBe(true);
    expect(corpusFiles("kanister")).toEqual(["a.yaml", "b.yaml"]);
    expect(readCorpus("kanister/a.yaml")).toBe("kind: Blueprint\n");
  });

  it("is absent, with no files, when the directory does not exist", () => {
    vi.stubEnv(CORPUS_ENV, join(tmpdir(), "quiesce-no-such-corpus"));
    expect(hasCorpus()).toBe(false);
    expect(corpusFiles("kanister")).toEqual([]);
  });
});
