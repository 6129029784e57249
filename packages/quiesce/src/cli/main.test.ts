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

  it("prints the hooks help, also as `help hooks`, and rejects an unknown output format", async () => {
    for (const argv of [
      ["hooks", "--help"],
      ["help", "hooks"],
    ]) {
      const { io, out } = memoryIO();
      expect(await main(argv, io)).toBe(0);
      expect(out.stdout.startsWith("Usage: quiesce hooks")).toBe(true);
    }
    const { io, out } = memoryIO();
    expect(await main(["validate", "-o", "xml", "x.yaml"], io)).toBe(2);
    expect(out.stderr).toContain('--output: unknown format "xml" (allowed: json, yaml)');
  });
});

describe("quiesce errors and formats", () => {
  const dir = mkdtempSync(join(tmpdir(), "quiesce-main-"));
  const BLUEPRINT = `apiVersion: cr.kanister.io/v1alpha1
kind: Blueprint
metadata: { name: bp }
actions:
  backup:
    phases:
      - { func: KubeExec, name: dump, args: { namespace: "{{ .Namespace.Name }}", pod: db-0, command: [pg_dump] } }
`;
  writeFileSync(join(dir, "bp.yaml"), BLUEPRINT);
  writeFileSync(
    join(dir, "broken.yaml"),
    "apiVersion: cr.kanister.io/v1alpha1\nkind: Blueprint\nmetadata:\n  name: x\n  name: y\n",
  );

  it("shows a YAML error with its line, column and the lines it points into", async () => {
    const render = memoryIO(dir);
    expect(await main(["render", "broken.yaml", "--action", "backup"], render.io)).toBe(1);
    expect(render.out.stderr).toBe(
      "quiesce: broken.yaml#1:5:3 YAML: Map keys must be unique [QUIESCE_VALIDATION]\n    name: x\n    name: y\n    ^\n",
    );
    const validate = memoryIO(dir);
    expect(await main(["validate", "broken.yaml"], validate.io)).toBe(1);
    expect(validate.out.stdout).toContain(
      "  error    broken.yaml#1:5:3 YAML: Map keys must be unique\n               name: x\n               name: y\n               ^\n",
    );
  });

  it("reads the Blueprint from stdin and prints -o yaml / -o json", async () => {
    const stdin = (async function* () {
      yield BLUEPRINT;
    })();
    const { io, out } = memoryIO(dir);
    const code = await main(
      ["render", "-", "--action", "backup", "--set", "Namespace.Name=shop", "-o", "json"],
      {
        ...io,
        stdin,
      },
    );
    expect(code).toBe(0);
    const json = JSON.parse(out.stdout) as { ok: boolean; phases: Array<{ args: { namespace: string } }> };
    expect(json.ok).toBe(true);
    expect(json.phases[0]?.args.namespace).toBe("shop");
    const yaml = memoryIO(dir);
    expect(await main(["validate", "-f", ".", "-o", "yaml"], yaml.io)).toBe(1);
    expect(yaml.out.stdout).toMatch(/^ok: false\nsummary:\n {2}documents: 2\n/);
  });

  it("says where it looked for a kubeconfig, in one line", async () => {
    const { io, out } = memoryIO(dir, { HOME: dir, KUBECONFIG: `${dir}/a:${dir}/b` });
    expect(await main(["run", "bp.yaml", "--action", "backup", "--subject", "namespace/shop"], io)).toBe(1);
    expect(out.stderr).toBe(
      `quiesce: no kubeconfig found (looked in $KUBECONFIG: ${dir}/a, ${dir}/b) and not running in a cluster; set KUBECONFIG or pass --kubeconfig [QUIESCE_KUBE_NO_CONFIG]\n`,
    );
  });
});
