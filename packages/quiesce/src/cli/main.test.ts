import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "./main.js";
import { memoryIO } from "./test-support/memory-io.js";

describe("quiesce main", () => {
  it("prints the package version", async () => {
    const { io, out } = memoryIO();
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    expect(await main(["--version"], io)).toBe(0);
    expect(out.stdout).toBe(`${pkg.version}\n`);
  });

  it("prints help for the CLI and for each command", async () => {
    for (const [argv, first] of [
      [["--help"], "quiesce — validate, render and run"],
      [["validate", "--help"], "Usage: quiesce validate"],
      [["render", "-h"], "Usage: quiesce render"],
      [["run", "--help"], "Usage: quiesce run"],
    ] as const) {
      const { io, out } = memoryIO();
      expect(await main(argv, io)).toBe(0);
      expect(out.stdout.startsWith(first)).toBe(true);
    }
  });

  it("exits 2 with a hint on an unknown command, an unknown flag or a missing argument", async () => {
    const cases: Array<[string[], string]> = [
      [["frobnicate"], 'unknown command "frobnicate"'],
      [["validate", "--nope", "x.yaml"], "Unknown option '--nope'"],
      [["validate"], "validate needs at least one file"],
      [["render", "bp.yaml"], "render needs --action <name>"],
      [["run", "bp.yaml", "--action", "backup"], "run needs --subject"],
    ];
    for (const [argv, message] of cases) {
      const { io, out } = memoryIO();
      expect(await main(argv, io)).toBe(2);
      expect(out.stderr).toContain(message);
      expect(out.stderr).toContain('--help" for usage.');
    }
    const { io } = memoryIO();
    expect(await main([], io)).toBe(2);
  });

  it("loads a plugin with --import so validate knows its functions", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quiesce-import-"));
    writeFileSync(
      join(dir, "bp.yaml"),
      "apiVersion: cr.kanister.io/v1alpha1\nkind: Blueprint\nmetadata: { name: p }\nactions:\n  a:\n    phases:\n      - { func: CliTestFlush, name: f, args: { pod: db-0 } }\n",
    );
    const before = memoryIO(dir);
    expect(await main(["validate", "bp.yaml"], before.io)).toBe(1);
    expect(before.out.stdout).toContain("function CliTestFlush is not registered");
    const plugin = fileURLToPath(new URL("./test-support/plugin.ts", import.meta.url));
    const after = memoryIO(dir);
    expect(await main(["validate", "--import", plugin, "bp.yaml"], after.io)).toBe(0);
    expect(after.out.stdout).toContain("ok      bp.yaml#1  Blueprint p");
  });

  it("reports a plugin that cannot be imported", async () => {
    const { io, out } = memoryIO();
    const code = await main(["validate", "--import", "./no-such-plugin.js", "x.yaml"], io);
    expect(code).toBe(1);
    expect(out.stderr).toMatch(/^quiesce: cannot import \.\/no-such-plugin\.js: .* \[QUIESCE_CLI_IMPORT\]/);
  });
});
