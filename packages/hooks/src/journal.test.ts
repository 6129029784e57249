import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { InMemoryHookJournal, JsonFileHookJournal } from "./journal.js";

const entry = (n: number) => ({
  status: "succeeded" as const,
  finishedAt: "2026-01-01T00:00:00.000Z",
  outputs: { n },
  artifacts: { a: { KeyValue: { n: String(n) } } },
});

describe("hook journals", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("the JSON file journal survives a new instance and keeps concurrent records", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quiesce-journal-"));
    dirs.push(dir);
    const path = join(dir, "nested", "journal.json");
    const journal = new JsonFileHookJournal(path);
    expect(await journal.get("op", "preHook/a/h")).toBeUndefined();
    await Promise.all([1, 2, 3, 4].map((n) => journal.record("op", `preHook/ns${n}/h`, entry(n))));
    const reopened = new JsonFileHookJournal(path);
    for (const n of [1, 2, 3, 4]) expect(await reopened.get("op", `preHook/ns${n}/h`)).toEqual(entry(n));
    expect(await reopened.get("other", "preHook/ns1/h")).toBeUndefined();
    expect(Object.keys(JSON.parse(readFileSync(path, "utf8")).op)).toHaveLength(4);
  });

  it("the in-memory journal returns copies", async () => {
    const journal = new InMemoryHookJournal();
    await journal.record("op", "k", entry(1));
    const got = await journal.get("op", "k");
    (got as { outputs: Record<string, unknown> }).outputs.n = 99;
    expect((await journal.get("op", "k"))?.outputs).toEqual({ n: 1 });
  });
});
