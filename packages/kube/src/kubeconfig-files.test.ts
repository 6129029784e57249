import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QuiesceError } from "@quiesce/core";
import { afterAll, describe, expect, it } from "vitest";
import { loadKubeConfig } from "./connect.js";
import { kubeconfigCandidates, loadKubeconfigFiles, NO_KUBECONFIG } from "./kubeconfig-files.js";

const dir = mkdtempSync(join(tmpdir(), "quiesce-kubeconfig-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function kubeconfig(file: string, opts: { cluster: string; server: string; context?: string; ns?: string }) {
  const path = join(dir, file);
  writeFileSync(
    path,
    `apiVersion: v1
kind: Config
clusters:
  - name: ${opts.cluster}
    cluster: { server: "${opts.server}", certificate-authority: ca.crt }
users:
  - name: ${opts.cluster}-user
    user: { token: t }
contexts:
  - name: ${opts.cluster}
    context: { cluster: ${opts.cluster}, user: ${opts.cluster}-user${opts.ns ? `, namespace: ${opts.ns}` : ""} }
${opts.context ? `current-context: ${opts.context}` : ""}
`,
  );
  return path;
}

const a = kubeconfig("a.yaml", { cluster: "a", server: "https://a.example:6443", context: "a", ns: "shop" });
const b = kubeconfig("b.yaml", { cluster: "b", server: "https://b.example:6443", context: "b" });
const aAgain = kubeconfig("a2.yaml", { cluster: "a", server: "https://other.example:6443" });
const missing = join(dir, "missing.yaml");

describe("kubeconfig loading (client-go loading rules)", () => {
  it("skips missing files of a KUBECONFIG list and merges the rest, the first file winning", () => {
    const env = { KUBECONFIG: [missing, a, b, aAgain].join(":") };
    const kc = loadKubeconfigFiles({ env });
    expect(kc.getCurrentContext()).toBe("a");
    expect(kc.getContexts().map((c) => c.name)).toEqual(["a", "b"]);
    // Cluster "a" from the first file that names it, not from a2.yaml.
    expect(kc.getCluster("a")?.server).toBe("https://a.example:6443");
    // Relative paths resolve against the directory of the file that holds them.
    expect(kc.getCluster("b")?.caFile).toBe(join(dir, "ca.crt"));
  });

  it("takes current-context from the first file that sets one", () => {
    const kc = loadKubeconfigFiles({ env: { KUBECONFIG: `${aAgain}:${b}:${a}` } });
    expect(kc.getCurrentContext()).toBe("b");
    expect(kc.getCluster("a")?.server).toBe("https://other.example:6443");
  });

  it("drops empty entries and duplicates from KUBECONFIG", () => {
    expect(kubeconfigCandidates({ env: { KUBECONFIG: `:${a}::${a}:${b}` } })).toEqual([a, b]);
    expect(kubeconfigCandidates({ env: { HOME: "/home/u" } })).toEqual(["/home/u/.kube/config"]);
    expect(kubeconfigCandidates({ path: b, env: { KUBECONFIG: a } })).toEqual([b]);
  });

  it("says where it looked when no file exists, instead of falling back to localhost:8080", () => {
    const err = catchError(() => loadKubeconfigFiles({ env: { KUBECONFIG: `${missing}:${dir}/nope` } }));
    expect(err.code).toBe(NO_KUBECONFIG);
    expect(err.message).toBe(
      `no kubeconfig found (looked in $KUBECONFIG: ${missing}, ${dir}/nope) and not running in a cluster; set KUBECONFIG or pass --kubeconfig`,
    );
    const home = catchError(() => loadKubeConfig({ env: { HOME: dir } }));
    expect(home.message).toContain(`no kubeconfig found (looked in ${join(dir, ".kube", "config")})`);
  });

  it("requires an explicit file to exist", () => {
    const err = catchError(() => loadKubeConfig({ kubeconfigPath: missing, env: { KUBECONFIG: a } }));
    expect(err.code).toBe(NO_KUBECONFIG);
    expect(err.message).toBe(`kubeconfig ${missing} does not exist`);
  });

  it("reports a file that does not parse, naming it", () => {
    const broken = join(dir, "broken.yaml");
    writeFileSync(broken, "clusters: [unclosed\n");
    const err = catchError(() => loadKubeConfig({ env: { KUBECONFIG: `${a}:${broken}` } }));
    expect(err.message).toMatch(new RegExp(`^error loading kubeconfig ${broken}: `));
    expect(err.message).not.toContain("\n");
  });

  it("refuses kubeconfig text that expands past the loaders' limits (an alias bomb) with a coded error", () => {
    // 2^41 list entries in a few hundred bytes, refused before client-node reads the text (the fuzz
    // suite found texts of this kind that ran it out of memory).
    let bomb =
      "apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts:\n- name: x\n  context: &a0 [1, 1]\n";
    for (let i = 1; i <= 40; i++) bomb += `x${i}: &a${i} [*a${i - 1}, *a${i - 1}]\n`;
    const err = catchError(() => loadKubeConfig({ kubeconfig: bomb }));
    expect(err.code).toBe("QUIESCE_VALIDATION");
    expect(err.message).toMatch(/^invalid kubeconfig/);
    const valid =
      "apiVersion: v1\nclusters: [{name: c, cluster: {server: 'https://h'}}]\nusers: [{name: u, user: {}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n";
    expect(loadKubeConfig({ kubeconfig: valid }).getCurrentCluster()?.server).toBe("https://h");
  });

  it("refuses kubeconfig files that expand past the loaders' limits, before client-node reads them", () => {
    let bomb = "apiVersion: v1\nkind: Config\nx0: &a0 [1, 1]\n";
    for (let i = 1; i <= 40; i++) bomb += `x${i}: &a${i} [*a${i - 1}, *a${i - 1}]\n`;
    const bombFile = join(dir, "bomb");
    writeFileSync(bombFile, bomb);
    const items = Array.from({ length: 20_000 }, (_, i) => `i${i}`).join(", ");
    const oversize = join(dir, "oversize");
    writeFileSync(
      oversize,
      `apiVersion: v1\nlist: &l [${items}]\ncopies: [${Array(60).fill("*l").join(", ")}]\n`,
    );
    const bombErr = catchError(() => loadKubeConfig({ env: { KUBECONFIG: bombFile } }));
    expect(bombErr.code).toBe("QUIESCE_VALIDATION");
    expect(bombErr.message).toBe(
      `error loading kubeconfig ${bombFile}: invalid kubeconfig YAML: Excessive alias count indicates a resource exhaustion attack`,
    );
    const bigErr = catchError(() => loadKubeConfig({ kubeconfigPath: oversize }));
    expect(bigErr.message).toBe(
      `error loading kubeconfig ${oversize}: invalid kubeconfig: copies: expands to more than 1000000 values (shared subtrees or YAML aliases repeat it)`,
    );
  });

  it("explains a kubeconfig without current-context", () => {
    const err = catchError(() => loadKubeConfig({ env: { KUBECONFIG: aAgain } }));
    expect(err.message).toBe(
      "kubeconfig has no current cluster: it sets no current-context (pass a context)",
    );
    expect(loadKubeConfig({ env: { KUBECONFIG: aAgain }, context: "a" }).getCurrentCluster()?.name).toBe("a");
  });
});

function catchError(fn: () => unknown): QuiesceError {
  try {
    fn();
  } catch (err) {
    if (err instanceof QuiesceError) return err;
    throw err;
  }
  throw new Error("expected an error");
}
