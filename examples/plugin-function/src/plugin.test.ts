import { createRegistry, globalRegistry, runBlueprintAction } from "@quiesce/functions";
import { type LocalCluster, startLocalCluster } from "@quiesce/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flushRedis, pgCheckpoint } from "./index.js";

let lc: LocalCluster;
beforeAll(async () => {
  lc = await startLocalCluster({
    podStartDelayMs: 0,
    readyDelayMs: 0,
    terminationDelayMs: 0,
    namespaces: ["cache"],
  });
  await lc.apply(`
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: redis, namespace: cache }
spec:
  replicas: 1
  serviceName: redis
  selector: { matchLabels: { app: redis } }
  template:
    metadata: { labels: { app: redis } }
    spec: { containers: [{ name: redis, image: redis:7 }, { name: pg, image: postgres:17 }] }
`);
  await lc.cluster.waitFor(
    { group: "apps", version: "v1", resource: "statefulsets", namespace: "cache", name: "redis" },
    (o) => (o?.status as { readyReplicas?: number } | undefined)?.readyReplicas === 1,
    { timeoutMs: 10_000 },
  );
});
afterAll(() => lc.stop());

const blueprint = {
  apiVersion: "cr.kanister.io/v1alpha1",
  kind: "Blueprint",
  metadata: { name: "redis-hooks" },
  actions: {
    backup: {
      outputArtifacts: { flush: { keyValue: { lastSave: "{{ .Phases.flush.Output.lastSave }}" } } },
      phases: [
        {
          func: "FlushRedis",
          name: "flush",
          args: {
            namespace: "{{ .StatefulSet.Namespace }}",
            pod: "{{ index .StatefulSet.Pods 0 }}",
            container: "redis",
          },
        },
      ],
    },
  },
};
const subject = { kind: "StatefulSet", namespace: "cache", name: "redis" };

describe("a plugin's functions", () => {
  it("are registered on the global registry by importing the package", () => {
    expect(globalRegistry().get("FlushRedis")).toBe(flushRedis);
    expect(globalRegistry().get("PgCheckpoint")).toBe(pgCheckpoint);
  });

  it("run from a Blueprint like built-ins, outputs included", async () => {
    const commands: string[] = [];
    const undo = lc.runtime.onExec({ container: "redis", command: /^redis-cli/ }, (ctx) => {
      commands.push(ctx.argv.join(" "));
      return { stdout: ctx.argv[1] === "SAVE" ? "OK\n" : "(integer) 1763720430\n" };
    });
    try {
      const result = await runBlueprintAction(blueprint, "backup", { cluster: lc.cluster, subject });
      expect(result.status).toBe("succeeded");
      expect(commands).toEqual(["redis-cli SAVE", "redis-cli LASTSAVE"]);
      expect(result.outputArtifacts).toEqual({ flush: { KeyValue: { lastSave: "1763720430" } } });
    } finally {
      undo();
    }
  });

  it("fail the phase with the tool's answer when Redis refuses", async () => {
    const undo = lc.runtime.onExec({ container: "redis" }, () => ({
      stdout: "ERR Background save already in progress\n",
    }));
    try {
      const result = await runBlueprintAction(blueprint, "backup", { cluster: lc.cluster, subject });
      expect(result.status).toBe("failed");
      expect(result.phases[0]?.error?.message).toBe(
        "FlushRedis: redis-cli in redis-0 failed: ERR Background save already in progress",
      );
    } finally {
      undo();
    }
  });

  it("reject unknown arguments before running, as Kanister does", async () => {
    const bad = structuredClone(blueprint);
    (bad.actions.backup.phases[0]?.args as Record<string, unknown>).db = "0";
    const result = await runBlueprintAction(bad, "backup", { cluster: lc.cluster, subject });
    expect(result.error?.message).toContain(
      'actions.backup.phases[0].args.db: unknown argument "db" for FlushRedis',
    );
  });

  it("PgCheckpoint reads the WAL position from a phase-output line, on an isolated registry", async () => {
    const registry = createRegistry();
    registry.register(pgCheckpoint);
    const undo = lc.runtime.onExec({ container: "pg", command: /^psql/ }, (ctx) => ({
      stdout: ctx.argv.includes("postgres")
        ? 'CHECKPOINT\n###Phase-output###: {"key":"lsn","value":"0/3000148"}\n'
        : "",
    }));
    try {
      const result = await runBlueprintAction(
        {
          ...blueprint,
          actions: {
            backup: {
              phases: [
                {
                  func: "PgCheckpoint",
                  name: "cp",
                  args: { namespace: "cache", pod: "redis-0", container: "pg" },
                },
              ],
            },
          },
        },
        "backup",
        { cluster: lc.cluster, subject, registry },
      );
      expect(result.phases[0]?.output).toEqual({ lsn: "0/3000148" });
    } finally {
      undo();
    }
  });
});
