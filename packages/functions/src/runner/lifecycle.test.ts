import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blueprintOf, startEnv, statefulSet, type TestEnv, waitReady } from "../test-support/local.js";
import { BlueprintEvents } from "./events.js";
import { runBlueprintAction } from "./run-action.js";

let env: TestEnv;
const subject = { kind: "StatefulSet", namespace: "app", name: "db" };

beforeAll(async () => {
  env = await startEnv(["app"]);
  await env.lc.apply(statefulSet("app", "db", 1));
  await waitReady(env.lc, "statefulsets", "app", "db", 1);
});
afterAll(() => env.lc.stop());

describe("cancellation and time limits on the cluster", () => {
  it("cancels a running KubeTask (its pod is removed) and still runs the deferPhase", async () => {
    const started: string[] = [];
    const controller = new AbortController();
    const undoRun = env.lc.runtime.onRun({ image: "example/long" }, async (ctx) => {
      started.push(ctx.pod);
      // The host cancels while the task's container runs (a moment after it started, so the
      // client has the pod's name and can clean it up).
      setTimeout(() => controller.abort(new Error("backup window closed")), 200);
      await new Promise<void>((resolve) =>
        ctx.signal.addEventListener("abort", () => resolve(), { once: true }),
      );
      return { exitCode: 137 };
    });
    const deferred: string[] = [];
    const undoExec = env.lc.runtime.onExec({ command: /^unfreeze/ }, (ctx) => {
      deferred.push(`${ctx.pod}: ${ctx.argv.join(" ")}`);
      return {};
    });
    try {
      const result = await runBlueprintAction(
        blueprintOf(
          [
            {
              func: "KubeExec",
              name: "freeze",
              args: { namespace: "app", pod: "db-0", container: "db", command: ["unfreeze", "--noop"] },
            },
            { func: "KubeTask", name: "dump", args: { image: "example/long:1", command: ["dump"] } },
            {
              func: "KubeExec",
              name: "never",
              args: { namespace: "app", pod: "db-0", container: "db", command: ["x"] },
            },
          ],
          {
            deferPhase: {
              func: "KubeExec",
              name: "unfreeze",
              args: {
                namespace: "app",
                pod: "{{ index .StatefulSet.Pods 0 }}",
                container: "db",
                command: ["unfreeze", "{{ .Phases.freeze.Output | len }}"],
              },
            },
          },
        ),
        "run",
        {
          cluster: env.lc.cluster,
          registry: env.registry,
          subject,
          signal: controller.signal,
          deferTimeout: "30s",
        },
      );
      expect(result.status).toBe("cancelled");
      expect(result.phases.map((p) => p.status)).toEqual(["succeeded", "cancelled", "skipped"]);
      expect(result.deferPhase?.status).toBe("succeeded");
      expect(deferred).toEqual(["db-0: unfreeze --noop", "db-0: unfreeze 0"]);
      expect(result.error?.code).toBe("QUIESCE_ABORTED");
      expect(result.error?.message).toBe("action run was cancelled: backup window closed");
      expect(started).toHaveLength(1);
      // The task's pod was deleted (it may take a moment to disappear).
      const gone = await env.lc.cluster.waitFor(
        { version: "v1", resource: "pods", namespace: "app", name: started[0] as string },
        (pod) => pod === undefined,
        { timeoutMs: 20_000 },
      );
      expect(gone).toBeUndefined();
    } finally {
      undoRun();
      undoExec();
    }
  });

  it("reports a timed-out KubeExec as possibly still running", async () => {
    const undo = env.lc.runtime.onExec({ command: "hang" }, async (ctx) => {
      await new Promise<void>((resolve) =>
        ctx.signal.addEventListener("abort", () => resolve(), { once: true }),
      );
      return {};
    });
    try {
      const result = await runBlueprintAction(
        blueprintOf([
          {
            func: "KubeExec",
            name: "slow",
            args: { namespace: "app", pod: "db-0", container: "db", command: ["hang"] },
          },
        ]),
        "run",
        { cluster: env.lc.cluster, registry: env.registry, subject, phaseTimeouts: { slow: "500ms" } },
      );
      const error = result.phases[0]?.error;
      expect(result.status).toBe("failed");
      expect(error?.code).toBe("QUIESCE_TIMEOUT");
      expect(error?.message).toMatch(/the command may still be running$/);
      expect(error?.details?.possiblyStillRunning).toBe(true);
    } finally {
      undo();
    }
  });

  it("emits progress from KubeExecAll", async () => {
    const undo = env.lc.runtime.onExec({ command: "ok" }, () => ({}));
    const events = new BlueprintEvents();
    const progress: number[] = [];
    events.on("phase:progress", (e) => {
      if (e.percent !== undefined) progress.push(e.percent);
    });
    try {
      const result = await runBlueprintAction(
        blueprintOf([
          {
            func: "KubeExecAll",
            name: "all",
            args: { namespace: "app", pods: "db-0", containers: "db sidecar", command: ["ok"] },
          },
        ]),
        "run",
        { cluster: env.lc.cluster, registry: env.registry, subject, events },
      );
      expect(result.status).toBe("succeeded");
      expect(progress).toEqual([50, 100]);
    } finally {
      undo();
    }
  });

  it("lists a one-off pod it could not delete as leaked, announces it, and keeps its status", async () => {
    const undo = env.lc.runtime.onRun({ image: "example/task" }, () => ({ stdout: "done\n" }));
    const fault = env.lc.faults.add({
      verb: "delete",
      resource: "pods",
      status: 500,
      times: Number.POSITIVE_INFINITY,
    });
    const events = new BlueprintEvents();
    const announced: string[] = [];
    events.on("resource:leaked", (e) => announced.push(`${e.action} ${e.kind} ${e.name}`));
    try {
      const result = await runBlueprintAction(
        blueprintOf([{ func: "KubeTask", name: "task", args: { image: "example/task:1", command: ["x"] } }]),
        "run",
        { cluster: env.lc.cluster, registry: env.registry, subject, events },
      );
      expect(result.status).toBe("succeeded");
      expect(result.leaked).toHaveLength(1);
      const leak = result.leaked[0];
      expect(leak).toMatchObject({ kind: "Pod", namespace: "app", error: { code: "QUIESCE_KUBE_API" } });
      expect(announced).toEqual([`run Pod ${leak?.name}`]);
      // Still there, labelled for cleanupOrphans.
      const pod = await env.lc.cluster.get({
        version: "v1",
        resource: "pods",
        namespace: "app",
        name: leak?.name ?? "",
      });
      expect(pod.metadata?.labels?.["quiesce.dev/one-off"]).toBe("true");
    } finally {
      fault.remove();
      undo();
    }
  });
});
