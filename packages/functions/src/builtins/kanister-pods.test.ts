/**
 * The pods Kanister's functions create, as pkg/kube/pod.go and pkg/function/*.go build them: names,
 * labels, annotations, containers, and how the ActionSet's and the Blueprint's podOverride merge.
 */
import type { V1Pod } from "@quiesce/kube";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunActionOptions } from "../runner/options.js";
import { runBlueprintAction } from "../runner/run-action.js";
import { blueprintOf, startEnv, statefulSet, type TestEnv, waitReady } from "../test-support/local.js";

let env: TestEnv;
const subject = { kind: "StatefulSet", namespace: "app", name: "db" };

beforeAll(async () => {
  env = await startEnv(["app"]);
  await env.lc.apply(statefulSet("app", "db", 1));
  await waitReady(env.lc, "statefulsets", "app", "db", 1);
});
afterAll(() => env.lc.stop());

const run = (phases: unknown[], extra: Partial<RunActionOptions> = {}) =>
  runBlueprintAction(blueprintOf(phases), "run", {
    cluster: env.lc.cluster,
    registry: env.registry,
    subject,
    ...extra,
  });

/** Records the pod (as the API server holds it) of every one-off pod running `image`. */
function capturePods(image: string): { pods: V1Pod[]; undo: () => void } {
  const pods: V1Pod[] = [];
  const undo = env.lc.runtime.onRun({ image }, async (ctx) => {
    const pod = await env.lc.cluster.get({
      version: "v1",
      resource: "pods",
      namespace: ctx.namespace,
      name: ctx.pod,
    });
    pods.push(pod as unknown as V1Pod);
    return { stdout: `###Phase-output###: {"key":"container","value":"${ctx.container}"}\n` };
  });
  return { pods, undo };
}

describe("KubeTask's pod (pkg/kube/pod.go, pkg/function/kube_task.go)", () => {
  it("carries createdBy: kanister, the ActionSet's labels and annotations under the Blueprint's, IfNotPresent", async () => {
    const { pods, undo } = capturePods("example/task");
    try {
      const result = await run(
        [
          {
            func: "KubeTask",
            name: "task",
            args: {
              image: "example/task:1",
              command: ["run"],
              podLabels: { team: "db", tier: "blueprint" },
              podAnnotations: { "example.com/owner": "blueprint" },
            },
          },
        ],
        {
          podLabels: { tier: "actionset", cost: "backup" },
          podAnnotations: { "example.com/owner": "actionset", "example.com/ticket": "42" },
        },
      );
      expect(result.status).toBe("succeeded");
      const pod = pods[0] as V1Pod;
      expect(pod.metadata?.name).toMatch(/^kanister-job-/);
      expect(pod.metadata?.labels).toEqual({
        createdBy: "kanister",
        "app.kubernetes.io/managed-by": "quiesce",
        "quiesce.dev/one-off": "true",
        team: "db",
        tier: "blueprint",
        cost: "backup",
      });
      expect(pod.metadata?.annotations).toEqual({
        "example.com/owner": "blueprint",
        "example.com/ticket": "42",
      });
      expect(pod.spec?.containers.map((c) => [c.name, c.imagePullPolicy])).toEqual([
        ["container", "IfNotPresent"],
      ]);
      expect(result.phases[0]?.output).toEqual({ container: "container" });
    } finally {
      undo();
    }
  });

  // Kanister pkg/kube/pod_runner.go Run: the pod is deleted with StopPod(ctx, …, 0): grace period 0.
  it("is deleted at once (grace period 0), never left terminating", async () => {
    const { undo } = capturePods("example/task");
    const pods = env.lc.store.typeFor("", "v1", "pods");
    if (!pods) throw new Error("no pods type");
    const marked: string[] = [];
    const deleted: string[] = [];
    const unwatch = env.lc.store.watch(pods, "app", env.lc.store.currentResourceVersion(), (e) => {
      const name = e.object.metadata.name ?? "";
      if (!name.startsWith("kanister-job-")) return;
      if (e.type === "MODIFIED" && e.object.metadata.deletionTimestamp) marked.push(name);
      if (e.type === "DELETED") deleted.push(name);
    });
    try {
      const result = await run([
        { func: "KubeTask", name: "task", args: { image: "example/task:1", command: ["run"] } },
      ]);
      expect(result.status).toBe("succeeded");
      expect(deleted).toHaveLength(1);
      expect(marked).toEqual([]);
    } finally {
      unwatch();
      undo();
    }
  });

  it("merges the ActionSet's podOverride over the Blueprint's, strategically (it wins; env by name)", async () => {
    const { pods, undo } = capturePods("example/task");
    const undoSidecar = env.lc.runtime.onRun({ image: "example/sidecar" }, () => ({ exitCode: 0 }));
    try {
      const result = await run(
        [
          {
            func: "KubeTask",
            name: "task",
            args: {
              image: "example/task:1",
              command: ["run"],
              podOverride: {
                activeDeadlineSeconds: 100,
                terminationGracePeriodSeconds: 5,
                containers: [
                  {
                    name: "container",
                    env: [
                      { name: "FROM", value: "blueprint" },
                      { name: "KEEP", value: "1" },
                    ],
                  },
                  { name: "sidecar", image: "example/sidecar:1" },
                ],
              },
            },
          },
        ],
        {
          podOverride: {
            activeDeadlineSeconds: 200,
            containers: [{ name: "container", env: [{ name: "FROM", value: "actionset" }] }],
          },
        },
      );
      expect(result.status).toBe("succeeded");
      const spec = (pods[0] as V1Pod).spec;
      expect(spec?.activeDeadlineSeconds).toBe(200);
      expect(spec?.terminationGracePeriodSeconds).toBe(5);
      // The main container stays first (Kanister sorts it there); its env merged by name.
      expect(spec?.containers.map((c) => c.name)).toEqual(["container", "sidecar"]);
      expect(spec?.containers[0]?.env).toEqual([
        { name: "FROM", value: "actionset" },
        { name: "KEEP", value: "1" },
      ]);
    } finally {
      undo();
      undoSidecar();
    }
  });

  it("waits for a pod that cannot start yet up to podReadyTimeout, then names the reason", async () => {
    const result = await run(
      [
        {
          func: "KubeTask",
          name: "task",
          args: {
            image: "example/task:1",
            command: ["run"],
            podOverride: { nodeSelector: { disktype: "ssd" } },
          },
        },
      ],
      { podReadyTimeout: "300ms" },
    );
    expect(result.status).toBe("failed");
    expect(result.phases[0]?.error?.message).toMatch(/did not start within 300ms: Unschedulable/);
  });
});

describe("PrepareData's pod (pkg/function/prepare_data.go)", () => {
  it("is named prepare-data-job-… and carries podAnnotations", async () => {
    const { pods, undo } = capturePods("example/prep");
    try {
      const result = await run([
        {
          func: "PrepareData",
          name: "prep",
          args: {
            namespace: "app",
            image: "example/prep:1",
            command: ["x"],
            podAnnotations: { "example.com/why": "restore" },
          },
        },
      ]);
      expect(result.status).toBe("succeeded");
      const pod = pods[0] as V1Pod;
      expect(pod.metadata?.name).toMatch(/^prepare-data-job-/);
      expect(pod.metadata?.annotations).toEqual({ "example.com/why": "restore" });
      expect(pod.metadata?.labels?.createdBy).toBe("kanister");
      // The subject's PVC at /mnt/prepare_data/<pvc>.
      expect(pod.spec?.containers[0]?.volumeMounts?.map((m) => m.mountPath)).toEqual([
        "/mnt/prepare_data/data-db-0",
      ]);
    } finally {
      undo();
    }
  });
});

describe("PrepareData's default volumes (getVolumes)", () => {
  it("needs a workload subject when no volumes are given, with Kanister's message", async () => {
    const result = await runBlueprintAction(
      blueprintOf([
        { func: "PrepareData", name: "prep", args: { namespace: "app", image: "x", command: ["x"] } },
      ]),
      "run",
      { cluster: env.lc.cluster, registry: env.registry, subject: { kind: "Namespace", name: "app" } },
    );
    expect(result.phases[0]?.error?.message).toMatch(/^PrepareData: Failed to get volumes/);
  });
});

describe("MultiContainerRun's pod (pkg/function/multi_container_run.go)", () => {
  const mcr = (extra: Record<string, unknown> = {}) => ({
    func: "MultiContainerRun",
    name: "mcr",
    args: {
      backgroundImage: "example/bg:1",
      backgroundCommand: ["bg"],
      outputImage: "example/out:1",
      outputCommand: ["out"],
      ...extra,
    },
  });

  it("runs output (first) and background, init when given, on the shared emptyDir; outputs from output", async () => {
    const { pods, undo } = capturePods("example/out");
    const undoBg = env.lc.runtime.onRun({ image: "example/bg" }, () => ({ exitCode: 0 }));
    const undoInit = env.lc.runtime.onRun({ image: "example/init" }, () => ({ exitCode: 0 }));
    try {
      const result = await run([
        mcr({
          initImage: "example/init:1",
          initCommand: ["init"],
          sharedVolumeMedium: "Memory",
          sharedVolumeSizeLimit: "64Mi",
          podOverride: { containers: [{ name: "output", resources: { limits: { cpu: "1" } } }] },
          podLabels: { createdBy: "someone-else" },
        }),
      ]);
      expect(result.status).toBe("succeeded");
      expect(result.phases[0]?.output).toEqual({ container: "output" });
      const pod = pods[0] as V1Pod;
      expect(pod.metadata?.name).toMatch(/^kanister-job-/);
      // MultiContainerRun sets createdBy after the merge: a podLabels value does not win.
      expect(pod.metadata?.labels?.createdBy).toBe("kanister");
      expect(pod.metadata?.annotations).toEqual({ "kubectl.kubernetes.io/default-container": "output" });
      const spec = pod.spec;
      expect(spec?.containers.map((c) => c.name)).toEqual(["output", "background"]);
      expect(spec?.initContainers?.map((c) => c.name)).toEqual(["init"]);
      expect(spec?.containers[0]?.resources).toEqual({ limits: { cpu: "1" } });
      expect(spec?.containers[0]?.imagePullPolicy).toBeUndefined();
      expect(spec?.volumes).toEqual([{ name: "shared", emptyDir: { medium: "Memory", sizeLimit: "64Mi" } }]);
      for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])])
        expect(c.volumeMounts).toEqual([{ name: "shared", mountPath: "/tmp/" }]);
    } finally {
      undo();
      undoBg();
      undoInit();
    }
  });

  it("applies the ActionSet override's 'container' entry to every container, an explicit entry winning", async () => {
    const { pods, undo } = capturePods("example/out");
    const undoBg = env.lc.runtime.onRun({ image: "example/bg" }, () => ({ exitCode: 0 }));
    try {
      const result = await run([mcr()], {
        podOverride: {
          containers: [
            { name: "container", securityContext: { runAsUser: 1000 } },
            { name: "background", securityContext: { runAsUser: 2000 } },
          ],
        },
      });
      expect(result.status).toBe("succeeded");
      const containers = (pods[0] as V1Pod).spec?.containers ?? [];
      expect(containers.map((c) => [c.name, c.securityContext?.runAsUser])).toEqual([
        ["output", 1000],
        ["background", 2000],
      ]);
      // No init container was asked for: none is made from the 'container' entry.
      expect((pods[0] as V1Pod).spec?.initContainers).toBeUndefined();
    } finally {
      undo();
      undoBg();
    }
  });
});
