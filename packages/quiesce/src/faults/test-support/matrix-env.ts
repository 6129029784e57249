/**
 * The scene of the fault matrix: a database pod to freeze and thaw, a worker pod where the copy
 * runs, a Deployment to scale, and the two runners set up the same way — a Blueprint action
 * (freeze, copy, deferPhase thaw) and a runWithHooks session (pre freeze and copy, post thaw
 * `Always`) — so each fault can be thrown at both.
 */
import { type LocalCluster, startLocalCluster } from "@quiesce/testing";
import { z } from "zod";
import {
  type ActionResult,
  defineFunction,
  type HookSpec,
  looseString,
  register,
  runBlueprintAction,
  runWithHooks,
  type SessionResult,
} from "../../index.js";

export const NS = "shop";

/** What the scripted containers did, in order ("freeze", "thaw", "copy", …). */
export const ran: string[] = [];

/** Liveness tuned for tests: pings every 50 ms, lost after 500 ms; pods checked every 100 ms. */
export async function startMatrixCluster(): Promise<LocalCluster> {
  const lc = await startLocalCluster({
    podStartDelayMs: 0,
    readyDelayMs: 0,
    terminationDelayMs: 0,
    namespaces: [NS],
    connect: {
      execHeartbeat: { intervalMs: 50, timeoutMs: 500, podCheckIntervalMs: 100 },
      retry: { baseMs: 5, maxMs: 20, maxAttempts: 3 },
    },
  });
  const done = (what: string) => () => {
    ran.push(what);
    return { stdout: `${what} done\n` };
  };
  lc.runtime.onExec({ command: "freeze" }, done("freeze"));
  lc.runtime.onExec({ command: "thaw" }, done("thaw"));
  // The copy reports progress on both streams, then works until it is stopped (or 300 ms pass).
  lc.runtime.onExec({ command: "copy" }, async (ctx) => {
    ran.push("copy");
    await ctx.stdout("copying…\n");
    await ctx.stderr("progress 10%\n");
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 300);
      ctx.signal.addEventListener("abort", () => {
        clearTimeout(t);
        resolve();
      });
    });
    return { stdout: "copied\n" };
  });
  lc.runtime.onExec({ command: "cat" }, async (ctx) => {
    let n = 0;
    for await (const chunk of ctx.stdin ?? []) n += chunk.length;
    return { stdout: `${n}\n` };
  });
  lc.runtime.onRun({ image: "tools:1" }, () => {
    ran.push("task");
    return { stdout: "task done\n" };
  });
  await lc.apply(`
apiVersion: v1
kind: Pod
metadata: { name: db-0, namespace: ${NS}, labels: { app: db } }
spec: { containers: [{ name: db, image: db:1 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: worker-0, namespace: ${NS}, labels: { app: worker } }
spec: { containers: [{ name: worker, image: worker:1 }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: cache, namespace: ${NS} }
spec:
  replicas: 2
  selector: { matchLabels: { app: cache } }
  template:
    metadata: { labels: { app: cache } }
    spec: { containers: [{ name: cache, image: cache:1 }] }
`);
  for (const name of ["db-0", "worker-0"]) {
    await lc.cluster.waitFor(
      { version: "v1", resource: "pods", namespace: NS, name },
      (p) => (p?.status as { phase?: string } | undefined)?.phase === "Running",
    );
  }
  await waitScaled(lc, 2);
  return lc;
}

/** Waits until the Deployment `cache` has `n` ready replicas. */
export async function waitScaled(lc: LocalCluster, n: number): Promise<void> {
  await lc.cluster.waitFor(
    { group: "apps", version: "v1", resource: "deployments", namespace: NS, name: "cache" },
    (d) => ((d?.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0) === n,
    { timeoutMs: 10_000 },
  );
}

/** A plugin function that streams `bytes` to `cat` on the worker over stdin (no built-in sends stdin). */
export function registerStreamFunction(): () => void {
  return register(
    defineFunction({
      name: "StreamToWorker",
      args: z.object({ bytes: looseString() }),
      async exec(ctx, args) {
        const result = await ctx.cluster.exec({ namespace: NS, pod: "worker-0" }, ["cat"], {
          stdin: new Uint8Array(Number(args.bytes)),
          signal: ctx.signal,
        });
        return { received: result.stdout.trim() };
      },
    }),
  );
}

const execOn = (name: string, pod: string, command: string) => ({
  func: "KubeExec",
  name,
  args: { namespace: NS, pod, command: [command] },
});

/** The copy phase of each scenario. */
export const copyPhases = {
  exec: execOn("copy", "worker-0", "copy"),
  task: { func: "KubeTask", name: "copy", args: { namespace: NS, image: "tools:1", command: ["copy"] } },
  stream: { func: "StreamToWorker", name: "copy", args: { bytes: "65536" } },
  scaleDown: {
    func: "ScaleWorkload",
    name: "copy",
    args: { namespace: NS, name: "cache", kind: "Deployment", replicas: 0 },
  },
  scaleUp: {
    func: "ScaleWorkload",
    name: "rescale",
    args: { namespace: NS, name: "cache", kind: "Deployment", replicas: 2 },
  },
} as const;

/** A Blueprint whose action `backup` freezes db-0, runs `phases`, and thaws db-0 in its deferPhase. */
export function backupBlueprint(...phases: object[]): object {
  return {
    apiVersion: "cr.kanister.io/v1alpha1",
    kind: "Blueprint",
    metadata: { name: "shop-backup" },
    actions: {
      backup: {
        phases: [execOn("freeze", "db-0", "freeze"), ...phases],
        deferPhase: execOn("thaw", "db-0", "thaw"),
      },
    },
  };
}

/** Runs the Blueprint action under the test cluster. */
export function runAction(lc: LocalCluster, phases: object[], phaseTimeout?: string): Promise<ActionResult> {
  return runBlueprintAction(backupBlueprint(...phases), "backup", {
    cluster: lc.cluster,
    subject: { kind: "Namespace", name: NS, namespace: NS },
    ...(phaseTimeout ? { phaseTimeouts: { copy: phaseTimeout } } : {}),
  });
}

const podHook = (name: string, app: string, command: string, extra: object = {}): HookSpec =>
  ({
    name,
    action: { exec: { command: [command] } },
    executor: { type: "Pod", pod: { selector: `app=${app}` } },
    maxRetry: 0,
    ...extra,
  }) as HookSpec;

/** The copy hooks of each scenario. */
export const copyHooks = {
  exec: podHook("copy", "worker", "copy"),
  job: {
    name: "copy",
    action: { exec: { command: ["copy"] } },
    executor: { type: "Function", function: { name: "copier", image: "tools:1" } },
    maxRetry: 0,
  } as HookSpec,
  blueprint: (phase: object, timeout?: string): HookSpec =>
    ({
      name: "copy",
      actionName: "copy",
      maxRetry: 0,
      ...(timeout ? { timeout } : {}),
      blueprint: {
        apiVersion: "cr.kanister.io/v1alpha1",
        kind: "Blueprint",
        metadata: { name: "copy" },
        actions: { copy: { phases: [phase] } },
      },
    }) as HookSpec,
};

/**
 * Runs a session: pre hooks freeze (db) and `copy`, then the host's step, then the post hook
 * thaw (`Always`). `copy` is a K10 preHook when it is a Blueprint hook.
 */
export function runSession(lc: LocalCluster, copy: HookSpec): Promise<SessionResult> {
  const k10 = "blueprint" in copy;
  return runWithHooks(
    {
      cluster: lc.cluster,
      subject: { kind: "Namespace", name: NS, namespace: NS },
      hooks: {
        pre: [podHook("freeze", "db", "freeze"), ...(k10 ? [] : [copy])],
        ...(k10 ? { preHook: copy } : {}),
        post: [podHook("thaw", "db", "thaw", { executionPolicy: "Always" })],
      },
    },
    async () => {
      ran.push("step");
      return {};
    },
  );
}

/** One-off pods and Jobs of the namespace that are not on their way out (none may be left). */
export async function leftovers(lc: LocalCluster): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < 200; i++) {
    names.length = 0;
    for (const ref of [
      { version: "v1", resource: "pods", namespace: NS },
      { group: "batch", version: "v1", resource: "jobs", namespace: NS },
    ]) {
      const { items } = await lc.cluster.list(ref, { labelSelector: "quiesce.dev/one-off=true" });
      for (const o of items)
        if (!o.metadata?.deletionTimestamp) names.push(`${o.kind ?? ref.resource}/${o.metadata?.name}`);
    }
    if (names.length === 0) return [];
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return names;
}
