import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";

// Every file-system call the journal makes, in order: what was opened, synced, renamed.
const calls: string[] = [];
vi.mock("node:fs/promises", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs/promises")>();
  const label = (path: unknown) => (String(path).endsWith(".tmp") ? "tmp" : basename(String(path)));
  return {
    ...fs,
    open: async (path: string, flags: string) => {
      const handle = await fs.open(path, flags);
      calls.push(`open ${label(path)} ${flags}`);
      return new Proxy(handle, {
        get(target, prop) {
          const value = Reflect.get(target, prop) as unknown;
          if (typeof value !== "function") return value;
          return (...args: unknown[]) => {
            if (prop === "sync" || prop === "close" || prop === "writeFile")
              calls.push(`${String(prop)} ${label(path)}`);
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
    },
    rename: async (from: string, to: string) => {
      calls.push(`rename ${label(from)} -> ${label(to)}`);
      return fs.rename(from, to);
    },
  };
});

const { JsonFileHookJournal } = await import("./journal.js");
const dir = mkdtempSync(join(tmpdir(), "quiesce-journal-sync-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the JSON file journal", () => {
  it("fsyncs the new file before renaming it over the journal, and the directory after", async () => {
    const path = join(dir, "journal.json");
    await new JsonFileHookJournal(path).record("op", "preHook/a/h", {
      status: "succeeded",
      finishedAt: "2026-01-01T00:00:00.000Z",
      outputs: {},
      artifacts: {},
    });
    expect(calls).toEqual([
      "open tmp w",
      "writeFile tmp",
      "sync tmp",
      "close tmp",
      "rename tmp -> journal.json",
      `open ${basename(dir)} r`,
      `sync ${basename(dir)}`,
      `close ${basename(dir)}`,
    ]);
    expect(JSON.parse(readFileSync(path, "utf8")).op["preHook/a/h"].status).toBe("succeeded");
  });
});
