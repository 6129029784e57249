import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readAllInputs, readInputs } from "./inputs.js";

const dir = mkdtempSync(join(tmpdir(), "quiesce-inputs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
for (const [path, text] of <Array<[string, string]>>[
  ["hooks/b.yaml", "b"],
  ["hooks/a.yml", "a"],
  ["hooks/c.json", "c"],
  ["hooks/notes.txt", "not read from a directory"],
  ["hooks/nested/d.yaml", "d"],
  ["empty/readme.md", "nothing to read"],
  ["plain.txt", "named explicitly"],
]) {
  mkdirSync(join(dir, path, ".."), { recursive: true });
  writeFileSync(join(dir, path), text);
}
const io = { cwd: dir };
const stdin = (text: string) => ({
  cwd: dir,
  stdin: (async function* () {
    yield Buffer.from(text);
  })(),
});

describe("file arguments (kubectl -f rules)", () => {
  it("reads a directory's .json/.yaml/.yml files in lexical order, subdirectories only with -R", async () => {
    const flat = await readAllInputs(["hooks"], io, { recursive: false });
    expect(flat.map((i) => [i.name, i.text])).toEqual([
      ["hooks/a.yml", "a"],
      ["hooks/b.yaml", "b"],
      ["hooks/c.json", "c"],
    ]);
    const deep = await readAllInputs(["hooks"], io, { recursive: true });
    expect(deep.map((i) => i.name)).toEqual([
      "hooks/a.yml",
      "hooks/b.yaml",
      "hooks/c.json",
      "hooks/nested/d.yaml",
    ]);
  });

  it("reads a file named explicitly whatever its extension, and - from stdin once", async () => {
    const inputs = await readAllInputs(["plain.txt", "-"], stdin("from stdin"), { recursive: false });
    expect(inputs.map((i) => [i.name, i.text])).toEqual([
      ["plain.txt", "named explicitly"],
      ["<stdin>", "from stdin"],
    ]);
    await expect(readInputs(["-", "-"], stdin("x"), { recursive: false })).rejects.toThrow(
      "standard input cannot be used for multiple arguments",
    );
  });

  it("reports a missing path and a directory without documents in place, and still reads the rest", async () => {
    const inputs = await readInputs(["missing.yaml", "empty", "hooks/b.yaml"], io, { recursive: false });
    expect(inputs.map((i) => [i.name, i.error ? i.error.message : i.text])).toEqual([
      ["missing.yaml", 'the path "missing.yaml" does not exist'],
      ["empty", "error reading empty: recognized file extensions are .json, .yaml, .yml"],
      ["hooks/b.yaml", "b"],
    ]);
    await expect(readAllInputs(["missing.yaml"], io, { recursive: false })).rejects.toMatchObject({
      code: "QUIESCE_CLI_FILE",
    });
  });
});
