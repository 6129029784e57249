import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { MINIMUM_NODE, unsupportedNode } from "./node-version.js";

const root = resolve(import.meta.dirname, "../../../..");
// The machine's own Node, when it is one the packages do not support (CI machines have Node 20).
const oldNode = ["/usr/bin/node", "/usr/local/bin/node"].find(
  (path) =>
    existsSync(path) &&
    unsupportedNode(spawnSync(path, ["-p", "process.versions.node"], { encoding: "utf8" }).stdout.trim()),
);

describe("the Node version check of the executable", () => {
  it("accepts 22.19 and later, and refuses older versions naming both", () => {
    for (const ok of ["22.19.0", "22.20.1", "23.0.0", "24.11.1", "30.1.0"])
      expect(unsupportedNode(ok)).toBeUndefined();
    expect(unsupportedNode("22.18.0")).toBe("needs Node.js >= 22.19 (this is Node.js 22.18.0)");
    expect(unsupportedNode("20.20.2")).toBe("needs Node.js >= 22.19 (this is Node.js 20.20.2)");
    expect(unsupportedNode("18.0.0")).toContain(">= 22.19");
  });

  it("checks what every package declares in engines.node", () => {
    for (const pkg of readdirSync(resolve(root, "packages"))) {
      const manifest = JSON.parse(readFileSync(resolve(root, "packages", pkg, "package.json"), "utf8")) as {
        engines?: { node?: string };
      };
      expect(manifest.engines?.node, pkg).toBe(`>=${MINIMUM_NODE.replace(/\.0$/, "")}`);
    }
  });

  it.runIf(oldNode)(`says so and exits 1 on the machine's older Node (${oldNode ?? "none"})`, () => {
    const run = spawnSync(
      oldNode as string,
      ["--conditions=source", "--import", "tsx", resolve(root, "packages/quiesce/src/cli.ts"), "--help"],
      { cwd: root, encoding: "utf8", timeout: 20_000 },
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^quiesce: needs Node\.js >= 22\.19 \(this is Node\.js \d+\.\d+\.\d+\)\n$/);
  });
});
