// A CommonJS consumer: this file compiles to require() calls (package.json "type": "commonjs"),
// which load the ESM packages through require(esm) (Node >= 22.12).

import { type LocalCluster, startLocalCluster } from "@quiesce/testing";
import { connect, formatDuration, loadHookTemplate, parseDuration, QuiesceError, render } from "quiesce";

async function main(): Promise<void> {
  const template = loadHookTemplate(`
apiVersion: core.kubestash.com/v1alpha1
kind: HookTemplate
metadata: { name: ping, namespace: default }
spec:
  action: { exec: { command: [echo, "{{ .Namespace }}"] } }
  executor: { type: Pod, pod: { selector: app=web } }
`);
  const lines = [
    `template ${template.metadata.name}`,
    `duration ${formatDuration(parseDuration("1m30s"))}`,
    `render ${render("{{ .a | upper }}", { a: "ok" })}`,
  ];
  try {
    parseDuration("30");
  } catch (err) {
    lines.push(`error ${err instanceof QuiesceError ? err.code : "not a QuiesceError"}`);
  }
  const lc: LocalCluster = await startLocalCluster({ podStartDelayMs: 0, readyDelayMs: 0 });
  try {
    await lc.apply(
      "apiVersion: v1\nkind: Pod\nmetadata: { name: web-0, labels: { app: web } }\nspec: { containers: [{ name: web, image: nginx }] }",
    );
    const cluster = connect({ kubeconfigPath: lc.kubeconfigPath });
    const pods = await cluster.selectPods("default", { selector: "app=web" });
    lines.push(`pods ${pods.map((p) => p.metadata?.name).join(",")}`);
  } finally {
    await lc.stop();
  }
  process.stdout.write(`${lines.join("; ")}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exitCode = 1;
});
