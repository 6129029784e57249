/**
 * The repository's own Blueprints that move workloads around (packages/testing/fixtures/kanister),
 * unedited, on the local cluster: scaling, PrepareData, deferPhase clean-up, custom-resource
 * subjects. Containers are scripted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlueprintEvents } from "./runner/events.js";
import { runBlueprintAction } from "./runner/run-action.js";
import { b64, blueprint, crd, profile, script, statefulSet, time } from "./test-support/fixtures.js";
import { startEnv, type TestEnv, waitReady } from "./test-support/local.js";

let env: TestEnv;
beforeAll(async () => {
  env = await startEnv(["kv", "search", "export"]);
  await env.lc.apply(crd("search.example.com", "SearchCluster", "searchclusters", "v2"));
});
afterAll(() => env.lc.stop());

const running = async (namespace: string, app: string) =>
  (await env.lc.cluster.selectPods(namespace, { selector: `app=${app}`, phase: "Running" }))
    .map((p) => p.metadata?.name)
    .sort();

/** `claim:mountPath` of each PVC a pod's container mounts. */
async function claimMounts(namespace: string, pod: string, container: string): Promise<string[]> {
  const spec = (await env.lc.cluster.get({ version: "v1", resource: "pods", namespace, name: pod })).spec as {
    volumes?: Array<{ name: string; persistentVolumeClaim?: { claimName: string } }>;
    containers: Array<{ name: string; volumeMounts?: Array<{ name: string; mountPath: string }> }>;
  };
  const claims = new Map(
    (spec.volumes ?? []).flatMap((v) =>
      v.persistentVolumeClaim ? [[v.name, v.persistentVolumeClaim.claimName]] : [],
    ),
  );
  const mounts = spec.containers.find((c) => c.name === container)?.volumeMounts ?? [];
  return mounts.flatMap((m) => (claims.has(m.name) ? [`${claims.get(m.name)}:${m.mountPath}`] : []));
}

describe("kv-store (KubeExecAll, KubeExec with action Secrets and ConfigMaps; ScaleWorkload, PrepareData, deferPhase)", () => {
  const subject = { kind: "StatefulSet", namespace: "kv", name: "kv" };
  beforeAll(async () => {
    await env.lc.apply(statefulSet("kv", "kv", 2, ["kv", "kv-tools"]));
    await env.lc.apply(`
apiVersion: v1
kind: Secret
metadata: { name: kv-bucket, namespace: kv }
data: { accessKey: ${b64("AKIAKV")}, secretKey: ${b64("kv-bucket-secret")} }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: kv-target, namespace: kv }
data: { bucket: "s3://kv-snapshots" }
`);
    await waitReady(env.lc, "statefulsets", "kv", "kv", 2);
  });

  it("flushes every pod, uploads from the tools sidecar of the first pod, and records where", async () => {
    const calls: string[] = [];
    const undo = env.lc.runtime.onExec({ namespace: "kv" }, (ctx) => {
      calls.push(
        `${ctx.pod}/${ctx.container}: ${ctx.argv.length > 3 ? script(ctx.argv) : ctx.argv.join(" ")}`,
      );
      return {
        stdout:
          ctx.container === "kv-tools" ? 'uploaded\n###Phase-output###: {"key":"size","value":"7"}\n' : "",
      };
    });
    try {
      const result = await runBlueprintAction(blueprint("kv-store-blueprint.yaml"), "backup", {
        cluster: env.lc.cluster,
        registry: env.registry,
        subject,
        secrets: { bucketCreds: { namespace: "kv", name: "kv-bucket" } },
        configMaps: { target: { namespace: "kv", name: "kv-target" } },
        time,
      });
      expect(result.status).toBe("succeeded");
      const flushes = calls.filter((c) => c.includes("kvctl flush")).sort();
      expect(flushes).toEqual(["kv-0/kv: kvctl flush --sync", "kv-1/kv: kvctl flush --sync"]);
      const upload = calls.filter((c) => c.startsWith("kv-0/kv-tools: "));
      expect(upload).toHaveLength(1);
      expect(upload[0]).toContain("export BUCKET_KEY=AKIAKV");
      expect(upload[0]).toContain("--host kv-0.kv.kv.svc");
      expect(upload[0]).toContain("uploader put 's3://kv-snapshots/kv/kv/2027-03-04.snap'");
      expect(result.phases[1]?.output).toEqual({ size: "7" });
      expect(result.outputArtifacts).toEqual({
        snapshot: { KeyValue: { url: "s3://kv-snapshots/kv/kv/2027-03-04.snap", pods: "2" } },
      });
    } finally {
      undo();
    }
  });

  it("restores with the store scaled to zero, the first pod's volume prepared, and the replicas given back", async () => {
    const prepared: Array<{ script: string; mounts: string[]; runningStorePods: number }> = [];
    const undo = env.lc.runtime.onRun({ image: /kv\/tools/ }, async (ctx) => {
      prepared.push({
        script: script(ctx.argv),
        mounts: await claimMounts(ctx.namespace, ctx.pod, ctx.container),
        runningStorePods: (await running("kv", "kv")).length,
      });
      return { stdout: "fetched\n" };
    });
    try {
      const result = await runBlueprintAction(blueprint("kv-store-blueprint.yaml"), "restore", {
        cluster: env.lc.cluster,
        registry: env.registry,
        subject,
        secrets: { bucketCreds: { namespace: "kv", name: "kv-bucket" } },
        artifacts: { snapshot: { KeyValue: { url: "s3://kv-snapshots/kv/kv/2027-03-04.snap" } } },
      });
      expect(result.error).toBeUndefined();
      expect(result.status).toBe("succeeded");
      expect(result.phases.map((p) => [p.name, p.status])).toEqual([
        ["stopStore", "succeeded"],
        ["fetchSnapshot", "succeeded"],
      ]);
      expect(result.phases[0]?.output).toEqual({ originalReplicaCount: 2 });
      expect(prepared).toEqual([
        {
          script: expect.stringContaining(
            "uploader get 's3://kv-snapshots/kv/kv/2027-03-04.snap' > /restore/kv.snap",
          ),
          mounts: ["data-kv-0:/restore"],
          runningStorePods: 0,
        },
      ]);
      expect(result.deferPhase).toMatchObject({ name: "startStore", status: "succeeded" });
      expect(await running("kv", "kv")).toEqual(["kv-0", "kv-1"]);
    } finally {
      undo();
    }
  });
});

describe("search-index restore (a custom-resource subject; Wait anyOf, ScaleWorkload by name, KubeTask)", () => {
  it("waits until the cluster is at least degraded, scales its nodes, and replays the snapshot", async () => {
    await env.lc.apply(`
apiVersion: search.example.com/v2
kind: SearchCluster
metadata: { name: products, namespace: search }
spec: { nodes: 3, indices: [orders, items] }
status: { health: red }
---
apiVersion: v1
kind: Secret
metadata: { name: products-admin, namespace: search }
data: { token: ${b64("srch-t0ken")} }
`);
    await env.lc.apply(statefulSet("search", "products-nodes", 1, ["node"]));
    await waitReady(env.lc, "statefulsets", "search", "products-nodes", 1);
    const ref = {
      group: "search.example.com",
      version: "v2",
      resource: "searchclusters",
      namespace: "search",
      name: "products",
    };
    const events = new BlueprintEvents();
    // The operator's stand-in: the cluster comes back degraded (not green) once the restore waits.
    events.on("phase:started", (e) => {
      if (e.phase === "waitHealthy")
        setTimeout(() => void env.lc.cluster.patch(ref, { status: { health: "degraded" } }, "merge"), 50);
    });
    const scripts: string[] = [];
    const undo = env.lc.runtime.onRun({ image: /search\/admin/ }, async (ctx) => {
      scripts.push(`${(await running("search", "products-nodes")).length} nodes: ${script(ctx.argv)}`);
      return { stdout: "restored 2 indices\n" };
    });
    try {
      const result = await runBlueprintAction(blueprint("search-index-blueprint.yaml"), "restore", {
        cluster: env.lc.cluster,
        registry: env.registry,
        subject: {
          kind: "SearchCluster",
          apiVersion: "search.example.com/v2",
          namespace: "search",
          name: "products",
        },
        artifacts: { indexSnapshot: { KeyValue: { snapshot: "nightly-2027-03-04" } } },
        profile,
        events,
      });
      expect(result.error).toBeUndefined();
      expect(result.status).toBe("succeeded");
      expect(result.phases.map((p) => p.name)).toEqual(["waitHealthy", "scaleNodes", "replaySnapshot"]);
      expect(result.phases[1]?.output).toEqual({ originalReplicaCount: 1 });
      expect(scripts).toHaveLength(1);
      expect(scripts[0]).toMatch(/^3 nodes: /);
      expect(scripts[0]).toContain('SEARCH_URL="https://products.search.svc:9200"');
      expect(scripts[0]).toContain('ADMIN_TOKEN="srch-t0ken"');
      expect(scripts[0]).toContain('SNAPSHOT="nightly-2027-03-04"');
      expect(scripts[0]).toContain('STORE_KEY="AKIDLEDGER"');
      expect(scripts[0]).toContain("--indices 'orders,items'");
    } finally {
      undo();
    }
  });
});

describe("export-session (KubeOps-created helper pod, a nameless deferPhase that removes it)", () => {
  const subject = { kind: "StatefulSet", namespace: "export", name: "vault" };
  beforeAll(async () => {
    await env.lc.apply(statefulSet("export", "vault", 1, ["vault"]));
    await waitReady(env.lc, "statefulsets", "export", "vault", 1);
  });
  const helperPods = async () =>
    (await env.lc.cluster.list({ version: "v1", resource: "pods", namespace: "export" })).items
      .map((p) => p.metadata?.name ?? "")
      .filter((n) => n.startsWith("vault-export-"));

  it("exports between begin and end, and records the location and the claim", async () => {
    const seen: string[] = [];
    const undo = env.lc.runtime.onExec({ container: "helper" }, (ctx) => {
      seen.push(ctx.argv.join(" "));
      return ctx.argv[1] === "copy"
        ? { stdout: '###Phase-output###: {"key":"location","value":"s3://exports/vault/0001"}\n' }
        : {};
    });
    try {
      const result = await runBlueprintAction(blueprint("export-session-blueprint.yaml"), "backup", {
        cluster: env.lc.cluster,
        registry: env.registry,
        subject,
      });
      expect(result.status).toBe("succeeded");
      expect(seen).toEqual([
        "exportctl begin --target vault-0.vault",
        "exportctl copy --print-location",
        "exportctl end",
      ]);
      expect(result.outputArtifacts).toEqual({
        exportFiles: { KeyValue: { location: "s3://exports/vault/0001", claim: "data-vault-0" } },
      });
      expect(result.deferPhase).toMatchObject({ name: "deferPhase", func: "KubeOps", status: "succeeded" });
      expect(await helperPods()).toEqual([]);
    } finally {
      undo();
    }
  });

  it("runs the deferPhase after a failed phase, skipping the rest, and the deferPhase sees .Phases", async () => {
    const undo = env.lc.runtime.onExec({ container: "helper", command: /^exportctl begin/ }, () => ({
      stderr: "exportctl: target is read-only\n",
      exitCode: 4,
    }));
    try {
      const result = await runBlueprintAction(blueprint("export-session-blueprint.yaml"), "backup", {
        cluster: env.lc.cluster,
        registry: env.registry,
        subject,
      });
      expect(result.status).toBe("failed");
      expect(result.phases.map((p) => [p.name, p.status])).toEqual([
        ["startHelper", "succeeded"],
        ["helperRunning", "succeeded"],
        ["beginExport", "failed"],
        ["copyFiles", "skipped"],
        ["endExport", "skipped"],
      ]);
      expect(result.phases[2]?.error?.message).toContain("exportctl: target is read-only");
      expect(result.outputArtifacts).toEqual({});
      const helper = result.phases[0]?.output.name as string;
      expect(helper).toMatch(/^vault-export-/);
      expect(result.deferPhase).toMatchObject({
        name: "deferPhase",
        status: "succeeded",
        output: { name: helper },
      });
      expect(await helperPods()).toEqual([]);
    } finally {
      undo();
    }
  });
});
