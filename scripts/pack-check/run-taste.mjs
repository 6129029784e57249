// Runs the README's example (taste.ts, copied from the README as written) from the installed
// packages, against a local cluster from the installed @quiesce/testing that holds the StatefulSet
// the example names, with KUBECONFIG pointing at it; then checks what its hooks did there.
import { spawn } from "node:child_process";
import { startLocalCluster } from "@quiesce/testing";

const lc = await startLocalCluster({
  namespaces: ["shop"],
  podStartDelayMs: 0,
  readyDelayMs: 0,
  terminationDelayMs: 0,
});
const seen = [];
lc.runtime.onExec({ command: /^fsfreeze / }, (ctx) => {
  seen.push(`${ctx.pod} ${ctx.argv[1]}`);
  return {};
});
let failure;
try {
  await lc.apply(`
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: inventory-db, namespace: shop }
spec:
  replicas: 2
  serviceName: inventory-db
  selector: { matchLabels: { app: inventory-db } }
  template:
    metadata: { labels: { app: inventory-db } }
    spec: { containers: [{ name: db, image: postgres:17 }] }
`);
  await lc.cluster.waitFor(
    { group: "apps", version: "v1", resource: "statefulsets", namespace: "shop", name: "inventory-db" },
    (o) => (o?.status?.readyReplicas ?? 0) === 2,
    { timeoutMs: 20_000 },
  );
  const child = spawn(process.execPath, ["taste.ts"], {
    env: { ...process.env, KUBECONFIG: lc.kubeconfigPath },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => (stdout += c));
  child.stderr.on("data", (c) => (stderr += c));
  const code = await new Promise((resolve) => child.on("close", resolve));
  const expected = [
    "inventory-db-0 --freeze",
    "inventory-db-1 --freeze",
    "inventory-db-0 --unfreeze",
    "inventory-db-1 --unfreeze",
  ];
  const order = [...seen.slice(0, 2).sort(), ...seen.slice(2).sort()];
  if (code !== 0) failure = `the README example exited ${code}: ${stderr}${stdout}`;
  else if (!stdout.startsWith("succeeded [ 'freeze: succeeded', 'thaw: succeeded' ]"))
    failure = `the README example printed ${JSON.stringify(stdout)}`;
  else if (JSON.stringify(order) !== JSON.stringify(expected))
    failure = `the hooks ran ${JSON.stringify(seen)}, expected ${JSON.stringify(expected)}`;
  else process.stdout.write(`README example: ${stdout.trim()}; hooks ran ${seen.join(", ")}\n`);
} finally {
  await lc.stop();
}
if (failure) {
  process.stderr.write(`${failure}\n`);
  process.exit(1);
}
