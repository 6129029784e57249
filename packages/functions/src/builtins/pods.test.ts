import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBlueprintAction } from "../runner/run-action.js";
import { blueprintOf, startEnv, statefulSet, type TestEnv, waitReady } from "../test-support/local.js";

let env: TestEnv;
const subject = { kind: "StatefulSet", namespace: "app", name: "db" };

beforeAll(async () => {
  env = await startEnv(["app"]);
  await env.lc.apply(statefulSet("app", "db", 2));
  await waitReady(env.lc, "statefulsets", "app", "db", 2);
});
afterAll(() => env.lc.stop());

const run = (phases: unknown[], extra: Record<string, unknown> = {}) =>
  runBlueprintAction(blueprintOf(phases), "run", {
    cluster: env.lc.cluster,
    registry: env.registry,
    subject,
    ...extra,
  });

describe("KubeTask", () => {
  it("runs a one-off pod in the subject's namespace, with podOverride, and reads outputs from its log", async () => {
    const seen: Array<{ namespace: string; env: Record<string, string>; argv: readonly string[] }> = [];
    const podNames: string[] = [];
    const undo = env.lc.runtime.onRun({ image: "example/task" }, async (ctx) => {
      podNames.push(ctx.pod);
      seen.push({ namespace: ctx.namespace, env: { ...ctx.env }, argv: ctx.argv });
      await ctx.stdout("working\n###Phase-out");
      await ctx.stdout(`put###: {"key":"path","value":"/backups/${ctx.env.TARGET}"}\n`);
      return { exitCode: 0 };
    });
    try {
      const result = await run([
        {
          func: "KubeTask",
          name: "task",
          args: {
            image: "example/task:1",
            command: ["sh", "-c", "backup {{ .StatefulSet.Name }}"],
            podOverride: { containers: [{ name: "container", env: [{ name: "TARGET", value: "db" }] }] },
          },
        },
      ]);
      expect(result.status).toBe("succeeded");
      expect(result.phases[0]?.output).toEqual({ path: "/backups/db" });
      expect(seen).toEqual([{ namespace: "app", env: { TARGET: "db" }, argv: ["sh", "-c", "backup db"] }]);
      // The one-off pod is deleted once it ended (it may take a moment to disappear).
      const gone = await env.lc.cluster.waitFor(
        { version: "v1", resource: "pods", namespace: "app", name: podNames[0] as string },
        (pod) => pod === undefined,
        { timeoutMs: 20_000 },
      );
      expect(gone).toBeUndefined();
    } finally {
      undo();
    }
  });

  it("fails when the pod fails, keeping the log tail", async () => {
    const undo = env.lc.runtime.onRun({ image: "example/task" }, () => ({
      stdout: "dump failed\n",
      exitCode: 2,
    }));
    try {
      const result = await run([
        { func: "KubeTask", name: "task", args: { image: "example/task:1", command: ["x"] } },
      ]);
      const error = result.phases[0]?.error;
      expect(error?.code).toBe("QUIESCE_KUBE_WORKLOAD_FAILED");
      // Kanister pkg/function/kube_task.go around pkg/kube/pod.go WaitForPodCompletion's error.
      expect(error?.message).toBe(
        "Failed while waiting for Pod to complete: Pod failed or did not transition into complete state: dump failed: Pod failed",
      );
      expect(error?.details?.logs).toBe("dump failed\n");
    } finally {
      undo();
    }
  });

  // Kanister pkg/function/kube_task.go: LogAndParse's error is returned before WaitForPodCompletion.
  it("fails on a malformed output line with Kanister's words, even when the pod fails too", async () => {
    const undo = env.lc.runtime.onRun({ image: "example/task" }, () => ({
      stdout: '###Phase-output###: {"key":"path","value":3}\n',
      exitCode: 1,
    }));
    try {
      const result = await run([
        { func: "KubeTask", name: "task", args: { image: "example/task:1", command: ["x"] } },
      ]);
      const error = result.phases[0]?.error;
      expect(error?.code).toBe("QUIESCE_OUTPUT_MALFORMED");
      expect(error?.message).toBe(
        "Failed to unmarshal key-value pair: json: cannot unmarshal number into Go struct field Output.value of type string",
      );
    } finally {
      undo();
    }
  });

  // Kanister pkg/function/kube_task.go: LogAndParse returns at the malformed line, and the
  // PodRunner deletes the pod — the rest of its work does not run.
  it("stops at the first malformed output line and deletes the pod, as Kanister's streaming parse does", async () => {
    const pods: string[] = [];
    const undo = env.lc.runtime.onRun({ image: "example/forever" }, async (ctx) => {
      pods.push(ctx.pod);
      await ctx.stdout("###Phase-output###: {oops\n");
      await new Promise<void>((resolve) =>
        ctx.signal.addEventListener("abort", () => resolve(), { once: true }),
      );
      return { exitCode: 0 };
    });
    try {
      const result = await run([
        { func: "KubeTask", name: "task", args: { image: "example/forever:1", command: ["x"] } },
      ]);
      expect(result.phases[0]?.error).toMatchObject({
        code: "QUIESCE_OUTPUT_MALFORMED",
        message:
          "Failed to unmarshal key-value pair: invalid character 'o' looking for beginning of object key string",
      });
      expect(result.leaked).toEqual([]);
      await expect(
        env.lc.cluster.get({ version: "v1", resource: "pods", namespace: "app", name: pods[0] ?? "" }),
      ).rejects.toMatchObject({ code: "QUIESCE_KUBE_NOT_FOUND" });
    } finally {
      undo();
    }
  });
});

describe("PrepareData", () => {
  it("mounts the subject's PVCs at /mnt/prepare_data/<pvc> by default", async () => {
    const undo = env.lc.runtime.onRun({ image: "busybox" }, (ctx) => {
      for (const claim of ["data-db-0", "data-db-1"])
        ctx.files.write(`/mnt/prepare_data/${claim}/restored`, claim);
      return { stdout: '###Phase-output###: {"key":"prepared","value":"2"}\n' };
    });
    const reads: Record<string, string | undefined> = {};
    const undoExec = env.lc.runtime.onExec({ command: "cat-marker" }, (ctx) => {
      reads[ctx.pod] = ctx.files.readText("/var/lib/db/restored");
      return {};
    });
    try {
      const result = await run([
        {
          func: "PrepareData",
          name: "prep",
          args: { namespace: "app", image: "busybox", command: ["sh", "-c", "x"] },
        },
        {
          func: "KubeExecAll",
          name: "check",
          args: { namespace: "app", pods: "db-0 db-1", containers: "db", command: ["cat-marker"] },
        },
      ]);
      expect(result.status).toBe("succeeded");
      expect(result.phases[0]?.output).toEqual({ prepared: "2" });
      expect(reads).toEqual({ "db-0": "data-db-0", "db-1": "data-db-1" });
    } finally {
      undo();
      undoExec();
    }
  });

  it("uses the volumes given, and returns outputs despite a failure unless failOnError", async () => {
    const mounts: string[] = [];
    const undo = env.lc.runtime.onRun({ image: "busybox" }, (ctx) => {
      ctx.files.write("/restore/x", "1");
      mounts.push(...ctx.files.list("/restore"));
      return { stdout: '###Phase-output###: {"key":"k","value":"v"}\n', exitCode: 1 };
    });
    try {
      const phase = (failOnError: boolean) => ({
        func: "PrepareData",
        name: "prep",
        args: {
          namespace: "app",
          image: "busybox",
          command: ["x"],
          volumes: { "data-db-0": "/restore" },
          failOnError,
        },
      });
      const lenient = await run([phase(false)]);
      expect(lenient.status).toBe("succeeded");
      expect(lenient.phases[0]?.output).toEqual({ k: "v" });
      expect(mounts).toContain("/restore/x");
      const strict = await run([phase(true)]);
      expect(strict.phases[0]?.error?.code).toBe("QUIESCE_KUBE_WORKLOAD_FAILED");
    } finally {
      undo();
    }
  });

  // Kanister pkg/function/prepare_data.go: errkit.Wrap(err, "Failed to parse phase output"), before
  // the failOnError check.
  it("fails on a malformed output line with Kanister's words", async () => {
    const undo = env.lc.runtime.onRun({ image: "busybox" }, () => ({
      stdout: "###Phase-output###: {oops}\n",
      exitCode: 1,
    }));
    try {
      const result = await run([
        { func: "PrepareData", name: "prep", args: { namespace: "app", image: "busybox", command: ["x"] } },
      ]);
      const error = result.phases[0]?.error;
      expect(error?.code).toBe("QUIESCE_OUTPUT_MALFORMED");
      expect(error?.message).toBe(
        "Failed to parse phase output: Failed to unmarshal key-value pair: invalid character 'o' looking for beginning of object key string",
      );
    } finally {
      undo();
    }
  });
});

describe("MultiContainerRun", () => {
  it("runs background and output containers sharing a volume; outputs come from the output container", async () => {
    const undoBg = env.lc.runtime.onRun({ image: "example/producer" }, (ctx) => {
      ctx.files.write("/shared/data.txt", "produced by background");
      return {};
    });
    const undoOut = env.lc.runtime.onRun({ image: "example/consumer" }, async (ctx) => {
      let text: string | undefined;
      for (let i = 0; i < 200 && text === undefined; i++) {
        text = ctx.files.readText("/shared/data.txt");
        if (text === undefined) await new Promise((r) => setTimeout(r, 5));
      }
      return { stdout: `###Phase-output###: ${JSON.stringify({ key: "read", value: text ?? "nothing" })}\n` };
    });
    try {
      const result = await run([
        {
          func: "MultiContainerRun",
          name: "mcr",
          args: {
            backgroundImage: "example/producer:1",
            backgroundCommand: ["produce"],
            outputImage: "example/consumer:1",
            outputCommand: ["consume"],
            sharedVolumeDir: "/shared",
          },
        },
      ]);
      expect(result.status).toBe("succeeded");
      expect(result.phases[0]?.output).toEqual({ read: "produced by background" });
    } finally {
      undoBg();
      undoOut();
    }
  });
});

describe("ScaleWorkload", () => {
  it("scales down and up (replicas as a numeric string), outputs the original count, defaults from the subject", async () => {
    const result = await run([
      { func: "ScaleWorkload", name: "down", args: { replicas: 0 } },
      {
        func: "ScaleWorkload",
        name: "up",
        args: {
          kind: "StatefulSet",
          name: "{{ .StatefulSet.Name }}",
          replicas: "{{ len .StatefulSet.Pods }}",
        },
      },
    ]);
    expect(result.status).toBe("succeeded");
    expect(result.phases.map((p) => p.output)).toEqual([
      { originalReplicaCount: 2 },
      { originalReplicaCount: 0 },
    ]);
    const pods = await env.lc.cluster.selectPods("app", { selector: "app=db", phase: "Running" });
    expect(pods.map((p) => p.metadata?.name)).toEqual(["db-0", "db-1"]);
  });

  it("rejects an unsupported kind and a non-numeric replica count", async () => {
    const bad = await run([
      {
        func: "ScaleWorkload",
        name: "s",
        args: { kind: "DaemonSet", name: "x", namespace: "app", replicas: 1 },
      },
    ]);
    // Kanister pkg/function/scale_workload.go: "Workload type not supported " + kind; strconv.ParseInt's refusal.
    expect(bad.phases[0]?.error?.message).toBe("ScaleWorkload: Workload type not supported DaemonSet");
    const nan = await run([
      { func: "ScaleWorkload", name: "s", args: { replicas: "{{ .StatefulSet.Name }}" } },
    ]);
    expect(nan.phases[0]?.error?.code).toBe("QUIESCE_VALIDATION");
    expect(nan.phases[0]?.error?.message).toContain(
      "actions.run.phases[0].args.replicas: Cannot convert db to int",
    );
    const float = await run([{ func: "ScaleWorkload", name: "s", args: { replicas: 1.5 } }]);
    expect(float.phases[0]?.error?.message).toContain("Invalid arg type float64 for Arg replicas");
  });

  // Kanister pkg/function/scale_workload.go setArgs: strconv.ParseInt(s, 10, 32)'s errors wrapped
  // with "Cannot convert <s> to int"; int32(v) of an int; %T of anything else.
  it("decodes replicas as Kanister does: ParseInt's errors, int32 wrapping, Go type names", async () => {
    const message = async (replicas: unknown) =>
      (await run([{ func: "ScaleWorkload", name: "s", args: { replicas, waitForReady: false } }])).phases[0]
        ?.error?.message;
    expect(await message("99999999999")).toContain(
      'args.replicas: Cannot convert 99999999999 to int: strconv.ParseInt: parsing "99999999999": value out of range',
    );
    expect(await message(" 2")).toContain(
      'args.replicas: Cannot convert  2 to int: strconv.ParseInt: parsing " 2": invalid syntax',
    );
    expect(await message(null)).toContain("args.replicas: Invalid arg type <nil> for Arg replicas");
    expect(await message(true)).toContain("args.replicas: Invalid arg type bool for Arg replicas");
    // 2^32 + 2 is 2 once Go's int32() has wrapped it: the StatefulSet keeps its 2 replicas.
    const wrapped = await run([{ func: "ScaleWorkload", name: "s", args: { replicas: 2 ** 32 + 2 } }]);
    expect(wrapped.status).toBe("succeeded");
    const sts = await env.lc.cluster.get({
      group: "apps",
      version: "v1",
      resource: "statefulsets",
      namespace: "app",
      name: "db",
    });
    expect((sts.spec as { replicas?: number }).replicas).toBe(2);
  });

  // Kanister sends a negative count to the API server (pkg/kube/workload.go Update), which refuses it.
  it("leaves a negative count to the API server to refuse", async () => {
    const result = await run([{ func: "ScaleWorkload", name: "s", args: { replicas: -1 } }]);
    const error = result.phases[0]?.error;
    expect(error?.code).toBe("QUIESCE_KUBE_INVALID");
    expect(error?.message).toBe(
      'Could not update Statefulset: Scale.autoscaling "db" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
    await expect(
      env.lc.cluster.create({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "negative", namespace: "app" },
        spec: {
          replicas: -2,
          selector: { matchLabels: { app: "negative" } },
          template: {
            metadata: { labels: { app: "negative" } },
            spec: { containers: [{ name: "c", image: "example/c:1" }] },
          },
        },
      }),
    ).rejects.toThrow(
      'Deployment.apps "negative" is invalid: spec.replicas: Invalid value: -2: must be greater than or equal to 0',
    );
  });
});
