/**
 * What crash safety costs a session: the API calls and the time of recording the owed cleanup
 * (Lease + ConfigMap record: create, progress writes, claims, deletes), measured on the local
 * cluster as the difference between sessions with and without `sessionRecord`. Two kinds: a
 * KubeStash freeze/thaw session over two pods, and a Blueprint action with two phases and a
 * deferPhase. Calls are counted at the Cluster port (each is one API request; discovery is cached).
 * Lease renewals come on top for long sessions: one merge patch per renew interval (default 10 s).
 */
import "@quiesce/functions/builtins";
import { runBlueprintAction } from "@quiesce/functions";
import type { Cluster } from "@quiesce/kube";
import { startLocalCluster } from "@quiesce/testing";
import type { HookSpec } from "./hook-spec.js";
import { runWithHooks } from "./lifecycle.js";

const ns = "bench";
const lc = await startLocalCluster({
  podStartDelayMs: 0,
  readyDelayMs: 0,
  terminationDelayMs: 0,
  namespaces: [ns],
});
for (const i of [0, 1]) {
  await lc.apply(`
apiVersion: v1
kind: Pod
metadata: { name: db-${i}, namespace: ${ns}, labels: { app: db } }
spec: { containers: [{ name: db, image: postgres:16 }] }
`);
  await lc.cluster.waitFor(
    { version: "v1", resource: "pods", namespace: ns, name: `db-${i}` },
    (p) => (p?.status as { phase?: string } | undefined)?.phase === "Running",
  );
}
lc.runtime.onExec({ namespace: ns }, () => ({ stdout: "ok\n" }));

// Counts the Cluster calls that touch session records (Leases, ConfigMaps) and all others.
const counts = { record: 0, other: 0, recordMs: 0 };
const RECORD_RESOURCES = new Set(["leases", "configmaps"]);
const counted = new Proxy(lc.cluster, {
  get(target, prop) {
    const value = Reflect.get(target, prop) as unknown;
    if (typeof value !== "function") return value;
    return async (...args: unknown[]) => {
      const first = args[0] as { resource?: string; kind?: string } | undefined;
      const record =
        RECORD_RESOURCES.has(first?.resource ?? "") || first?.kind === "Lease" || first?.kind === "ConfigMap";
      counts[record ? "record" : "other"]++;
      const t0 = performance.now();
      try {
        return await (value as (...a: unknown[]) => unknown).apply(target, args);
      } finally {
        if (record) counts.recordMs += performance.now() - t0;
      }
    };
  },
}) as Cluster;

const execOn = (name: string, command: string[]): HookSpec => ({
  name,
  action: { exec: { command } },
  executor: { type: "Pod", pod: { selector: "app=db", strategy: "ExecuteOnAll" } },
});

const hooksSession = (record: boolean) =>
  runWithHooks(
    {
      cluster: counted,
      subject: { kind: "StatefulSet", namespace: ns, name: "db" },
      hooks: { pre: [execOn("freeze", ["freeze"])], post: [execOn("thaw", ["thaw"])] },
      ...(record ? {} : { sessionRecord: false as const }),
    },
    async () => undefined,
  ).then((r) => {
    if (r.outcome !== "succeeded") throw new Error(`bench session ${r.outcome}: ${r.error?.message}`);
  });

const exec = (name: string, command: string) =>
  `{ func: KubeExec, name: ${name}, args: { namespace: ${ns}, pod: db-0, container: db, command: [${command}] } }`;
const blueprint = `
apiVersion: cr.kanister.io/v1alpha1
kind: Blueprint
metadata: { name: bench }
actions:
  backup:
    phases: [${exec("lock", "lock")}, ${exec("copy", "copy")}]
    deferPhase: ${exec("unlock", "unlock")}
`;
const action = (record: boolean) =>
  runBlueprintAction(blueprint, "backup", {
    cluster: counted,
    subject: { kind: "Namespace", name: ns },
    ...(record ? {} : { sessionRecord: false as const }),
  }).then((r) => {
    if (r.status !== "succeeded") throw new Error(`bench action ${r.status}: ${r.error?.message}`);
  });

async function measure(label: string, run: (record: boolean) => Promise<void>, n: number) {
  for (let i = 0; i < 5; i++) {
    await run(true);
    await run(false);
  }
  // Interleaved, so that the machine's load drifts alike over both.
  const total = {
    true: { ms: 0, record: 0, other: 0, recordMs: 0 },
    false: { ms: 0, record: 0, other: 0, recordMs: 0 },
  };
  for (let i = 0; i < n; i++) {
    for (const record of [false, true]) {
      counts.record = 0;
      counts.other = 0;
      counts.recordMs = 0;
      const t0 = performance.now();
      await run(record);
      const t = total[record ? "true" : "false"];
      t.ms += performance.now() - t0;
      t.record += counts.record;
      t.other += counts.other;
      t.recordMs += counts.recordMs;
    }
  }
  const on = total.true;
  const off = total.false;
  return {
    session: label,
    sessions: n,
    "record API calls/session": (on.record / n).toFixed(1),
    "other API calls/session": (off.other / n).toFixed(1),
    "ms/session without": (off.ms / n).toFixed(1),
    "ms/session with": (on.ms / n).toFixed(1),
    "overhead ms": ((on.ms - off.ms) / n).toFixed(1),
    "of which in record calls": (on.recordMs / n).toFixed(1),
  };
}

const rows = [
  await measure("KubeStash freeze/thaw, 2 pods", hooksSession, 60),
  await measure("Blueprint action, 2 phases + deferPhase", action, 60),
];
console.table(rows);
await lc.stop();
