/**
 * How the cost of a Velero backup's hooks grows with its pods: runWithHooks with `stepPer:
 * "target"` (Velero's item-block order: a pod's pre hook, its step, its post hook, then the next
 * pod) over N pods of one namespace (N = 100, 1,000), an exec pre and post hook from a Backup's
 * `spec.hooks`, against a local cluster in a process of its own, over TLS. Each pod arms its cleanup
 * in the session record, writes what its pre hook did and claims its post hook: three record writes
 * per pod. Per pod: wall time, client CPU, server CPU, REST requests (exec upgrades not counted).
 * Each N runs with the adapter's default client-side rate limit and without it, as in
 * scale.bench.ts. Goal: the per-pod figures at 1,000 within 1.1× of those at 100.
 */
import { connect } from "@quiesce/kube";
import { cpuMsSince, fixed, printGrid, startClusterProcess } from "@quiesce/testing/bench";
import { runWithHooks } from "./lifecycle.js";
import { loadVeleroHooks } from "./velero/load.js";
import { resolveVeleroBackupHooks } from "./velero/resolve-backup.js";

const LIMITS = [
  { label: "qps 50", qps: undefined },
  { label: "no limit", qps: Number.POSITIVE_INFINITY },
] as const;
const backup = loadVeleroHooks({
  apiVersion: "velero.io/v1",
  kind: "Backup",
  metadata: { name: "nightly", namespace: "velero" },
  spec: {
    hooks: {
      resources: [
        {
          name: "db",
          includedNamespaces: ["bench"],
          pre: [{ exec: { command: ["fsfreeze", "--freeze", "/data"] } }],
          post: [{ exec: { command: ["fsfreeze", "--unfreeze", "/data"] } }],
        },
      ],
    },
  },
});

interface PerPod {
  wallMs: number;
  clientCpuMs: number;
  serverCpuMs: number;
  rest: number;
}
const rows: string[][] = [];
const perPod = new Map<string, PerPod>();
for (const n of [100, 1000]) {
  const server = await startClusterProcess({ tls: true, namespaces: ["bench"], podsPerNamespace: n });
  try {
    for (const limit of LIMITS) {
      const cluster = connect({
        kubeconfig: server.kubeconfig,
        ...(limit.qps === undefined ? {} : { qps: limit.qps }),
      });
      const hooks = await resolveVeleroBackupHooks({ cluster, hooks: backup });
      await server.usage({ reset: true });
      const cpu = process.cpuUsage();
      const t0 = performance.now();
      const result = await runWithHooks(
        { cluster, subject: hooks.subject, hooks, stepPer: "target" },
        async () => undefined,
      );
      const wallMs = performance.now() - t0;
      const clientCpuMs = cpuMsSince(cpu);
      const usage = await server.usage();
      const record = result.sessionRecord;
      if (result.outcome !== "succeeded" || record?.state !== "done" || (record.warnings ?? []).length > 0) {
        throw new Error(`session ${result.outcome}, record ${record?.state}: ${result.error?.message}`);
      }
      const rest = Object.entries(usage.requests).reduce((a, [verb, k]) => a + (verb === "exec" ? 0 : k), 0);
      const per = {
        wallMs: wallMs / n,
        clientCpuMs: clientCpuMs / n,
        serverCpuMs: usage.cpuMs / n,
        rest: rest / n,
      };
      perPod.set(`${limit.label} ${n}`, per);
      rows.push([
        `${n} pods, ${limit.label}`,
        fixed(wallMs),
        fixed(per.wallMs, 2),
        fixed(per.clientCpuMs, 2),
        fixed(per.serverCpuMs, 2),
        fixed(per.rest, 2),
      ]);
    }
  } finally {
    await server.stop();
  }
}
for (const limit of LIMITS) {
  const a = perPod.get(`${limit.label} 100`);
  const b = perPod.get(`${limit.label} 1000`);
  if (a && b) {
    rows.push([
      `ratio 1,000 / 100, ${limit.label} (goal ≤ 1.1)`,
      "-",
      fixed(b.wallMs / a.wallMs, 2),
      fixed(b.clientCpuMs / a.clientCpuMs, 2),
      fixed(b.serverCpuMs / a.serverCpuMs, 2),
      fixed(b.rest / a.rest, 2),
    ]);
  }
}
printGrid(
  "runWithHooks, Velero backup hooks, stepPer target, N pods: pre + post exec hook per pod, TLS, server in its own process; figures per pod",
  ["pods", "session ms", "ms/pod", "client CPU ms/pod", "server CPU ms/pod", "REST requests/pod"],
  rows,
);
