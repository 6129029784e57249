/**
 * recoverSessions on the local cluster, in one process: a session whose host stops renewing its
 * Lease (here: it renews too rarely, as a host that hung would) has its owed cleanup run by a
 * recoverer with the recorded templates, params, targets and artifacts, under each format's rules;
 * the stale host then finds its session taken over and runs none of it. (Hosts killed with SIGKILL
 * are the CLI's recover tests.)
 */
import "@quiesce/functions/builtins";
import { ErrorCodes } from "@quiesce/core";
import { LEASES, readEnvelope } from "@quiesce/kube";
import { type LocalCluster, startLocalCluster } from "@quiesce/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { HookSpec } from "../hook-spec.js";
import { runWithHooks } from "../lifecycle.js";
import type { RunWithHooksOptions } from "../lifecycle-options.js";
import { staleHost as stale } from "../test-support/stale-host.js";
import { recoverSessions } from "./recover-sessions.js";
import { createRecoveryEvents } from "./recovery-options.js";

const ns = "shop";
const CONFIGMAPS = { version: "v1", resource: "configmaps", namespace: ns } as const;
let lc: LocalCluster;
const execs: string[] = [];
const failing = new Set<string>();

beforeAll(async () => {
  lc = await startLocalCluster({
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
  }
  for (const pod of ["db-0", "db-1"]) {
    await lc.cluster.waitFor(
      { version: "v1", resource: "pods", namespace: ns, name: pod },
      (p) => (p?.status as { phase?: string } | undefined)?.phase === "Running",
    );
  }
  lc.runtime.onExec({ namespace: ns }, (ctx) => {
    const line = `${ctx.pod}: ${ctx.argv.join(" ")}`;
    execs.push(line);
    if (ctx.argv[0] === "checkpoint")
      return { stdout: '###Phase-output###: {"key":"lsn","value":"0/16B3748"}\n' };
    return failing.has(ctx.argv[0] ?? "") ? { exitCode: 1, stderr: "no\n" } : { stdout: "ok\n" };
  });
});
afterEach(async () => {
  lc.faults.clear();
  execs.length = 0;
  failing.clear();
  for (const ref of [CONFIGMAPS, { ...LEASES, namespace: ns }]) {
    const { items } = await lc.cluster.list(ref, { labelSelector: "quiesce.dev/session" });
    for (const o of items) await lc.cluster.delete({ ...ref, name: o.metadata?.name ?? "" }).catch(() => {});
  }
});
afterAll(() => lc.stop());

const execOn = (name: string, command: string[], extra: Record<string, unknown> = {}): HookSpec =>
  ({
    name,
    action: { exec: { command } },
    executor: { type: "Pod", pod: { selector: "app=db", strategy: "ExecuteOnAll" } },
    ...extra,
  }) as HookSpec;

/** A session over `ns` that freezes and thaws every db pod, with `extra` options on top. */
const freezeThaw = (extra: Partial<RunWithHooksOptions> = {}): RunWithHooksOptions => ({
  cluster: lc.cluster,
  subject: { kind: "Namespace", name: ns },
  hooks: { pre: [execOn("freeze", ["freeze"])], post: [execOn("thaw", ["thaw"])] },
  ...extra,
});

const staleHost = (options: Omit<RunWithHooksOptions, "cluster" | "sessionRecord">) =>
  stale({ cluster: lc.cluster, ...options });

// A Velero backup exec hook of one pod, as resolveVeleroBackupHooks makes it.
const velero = (pod: string, phase: "pre" | "post", command: string[], onError?: "Fail") => ({
  name: `${ns}/${pod} rule.${phase}[0]`,
  velero: {
    operation: "backup" as const,
    phase,
    namespace: ns,
    pod,
    container: "db",
    command,
    timeout: "10s",
    source: "spec" as const,
    rule: "rule",
    index: 0,
    ...(onError ? { onError } : {}),
  },
});

const sessions = async () =>
  (await lc.cluster.list(CONFIGMAPS, { labelSelector: "quiesce.dev/session" })).items;

describe("recoverSessions", () => {
  it("runs a dead host's Always and OnFailure post hooks once, not its OnSuccess ones; the stale host then runs none", async () => {
    const host = await staleHost({
      subject: { kind: "StatefulSet", namespace: ns, name: "db" },
      operationId: "backup-7",
      hooks: {
        pre: [execOn("freeze", ["freeze"])],
        post: [
          execOn("thaw", ["thaw", "{{ .Name }}"]),
          execOn("notify", ["notify"], { executionPolicy: "OnSuccess" }),
          execOn("alert", ["alert", "{{ .Status.Phase }}"], { executionPolicy: "OnFailure" }),
        ],
      },
    });
    const [record] = await sessions();
    expect(readEnvelope(record ?? {})).toMatchObject({
      kind: "hooks",
      holder: { identity: "host-a" },
      payload: {
        operationId: "backup-7",
        step: { status: "pending" },
        units: [
          { namespace: ns, pre: [{ name: "freeze", status: "succeeded", targets: ["db-0/db", "db-1/db"] }] },
        ],
      },
    });
    execs.length = 0;
    const events = createRecoveryEvents();
    const seen: string[] = [];
    events.on("session:recovering", (e) => seen.push(`recovering ${e.previousHolder}`));
    const report = await recoverSessions({
      cluster: lc.cluster,
      namespaces: [ns],
      identity: "rescuer",
      events,
    });
    expect(seen).toEqual(["recovering host-a"]);
    expect(execs.sort()).toEqual([
      "db-0: alert Failed",
      "db-0: thaw backup-7",
      "db-1: alert Failed",
      "db-1: thaw backup-7",
    ]);
    expect(report.recovered).toHaveLength(1);
    const recovered = report.recovered[0];
    expect(recovered).toMatchObject({
      kind: "hooks",
      operation: "backup-7",
      previousHolder: "host-a",
      cleanup: "completed",
    });
    expect(recovered?.session?.step.error?.code).toBe(ErrorCodes.SESSION_HOST_LOST);
    expect(
      recovered?.session?.hooks.map(
        (h) => `${h.name} ${h.status}${h.skippedBecause ? ` ${h.skippedBecause}` : ""}`,
      ),
    ).toEqual(["thaw succeeded", "notify skipped execution-policy", "alert succeeded"]);
    expect(await sessions()).toEqual([]);
    const evs = await lc.cluster.list({ version: "v1", resource: "events", namespace: ns });
    expect(evs.items.map((e) => (e as { reason?: string }).reason)).toContain("SessionRecovered");
    // The stale host wakes up: its session is no longer its own.
    execs.length = 0;
    const stale = await host.release();
    expect(execs).toEqual([]);
    expect(stale.outcome).toBe("cancelled");
    expect(stale.error?.code).toBe(ErrorCodes.SESSION_LEASE_LOST);
    // Its thaw is the recoverer's; its OnSuccess hook belongs to a session it no longer has (and
    // its step succeeded, so its OnFailure hook is not for it either).
    expect(stale.hooks.filter((h) => h.phase === "post").map((h) => h.skippedBecause)).toEqual([
      "taken-over",
      "cancelled",
      "execution-policy",
    ]);
  });

  it("runs a K10 onFailure Blueprint hook with the preHook's output artifacts", async () => {
    const blueprint = `
apiVersion: cr.kanister.io/v1alpha1
kind: Blueprint
metadata: { name: wal }
actions:
  freeze:
    outputArtifacts: { walpos: { keyValue: { lsn: "{{ .Phases.checkpoint.Output.lsn }}" } } }
    phases:
      - { func: KubeExec, name: checkpoint, args: { namespace: ${ns}, pod: db-0, container: db, command: [checkpoint] } }
  thaw:
    phases:
      - { func: KubeExec, name: resume, args: { namespace: ${ns}, pod: db-0, container: db, command: [resume, "{{ .ArtifactsIn.walpos.KeyValue.lsn }}"] } }
`;
    const host = await staleHost({
      subject: { kind: "Namespace", name: ns },
      hooks: {
        preHook: { blueprint, actionName: "freeze" },
        onSuccess: { blueprint, actionName: "thaw", name: "thaw-after-success" },
        onFailure: { blueprint, actionName: "thaw" },
      },
    });
    execs.length = 0;
    const report = await recoverSessions({ cluster: lc.cluster, namespaces: [ns], identity: "rescuer" });
    expect(execs).toEqual(["db-0: resume 0/16B3748"]);
    expect(report.recovered[0]?.cleanup).toBe("completed");
    expect(report.recovered[0]?.session?.hooks.map((h) => `${h.phase} ${h.status}`)).toEqual([
      "onSuccess skipped",
      "onFailure succeeded",
    ]);
    await host.release();
  });

  it("runs Velero post hooks only for the pods whose pre hooks passed", async () => {
    failing.add("refuse");
    const host = await staleHost({
      hooks: {
        pre: [velero("db-0", "pre", ["lock"], "Fail"), velero("db-1", "pre", ["refuse"], "Fail")],
        post: [velero("db-0", "post", ["unlock"]), velero("db-1", "post", ["unlock"])],
      },
    });
    execs.length = 0;
    const report = await recoverSessions({ cluster: lc.cluster, namespaces: [ns], identity: "rescuer" });
    expect(execs).toEqual(["db-0: unlock"]);
    expect(report.recovered[0]?.cleanup).toBe("completed");
    await host.release();
  });

  it("runs a host function hook by its name, and keeps the record when it is not given", async () => {
    const calls: string[] = [];
    const hooks = {
      pre: [execOn("freeze", ["freeze"])],
      post: [{ name: "release-lock", timeout: "5s", run: async () => void calls.push("stale host") }],
    };
    const first = await staleHost({ subject: { kind: "Namespace", name: ns }, hooks });
    const without = await recoverSessions({ cluster: lc.cluster, namespaces: [ns], identity: "rescuer-1" });
    expect(without.recovered[0]).toMatchObject({ cleanup: "failed" });
    expect(without.recovered[0]?.session?.hooks[0]?.error?.code).toBe(ErrorCodes.SESSION_HOOK_UNAVAILABLE);
    const [kept] = await sessions();
    expect(kept?.metadata?.labels?.["quiesce.dev/session-state"]).toBe("failed");
    // Not retried unless asked; asked, with the function, it runs with the session's context.
    expect((await recoverSessions({ cluster: lc.cluster, namespaces: [ns] })).recovered).toEqual([]);
    const withFn = await recoverSessions({
      cluster: lc.cluster,
      namespaces: [ns],
      retryFailed: true,
      functionHooks: {
        "release-lock": async (ctx) => void calls.push(`recovered ${ctx.phase} ${ctx.namespace}`),
      },
    });
    expect(withFn.recovered[0]?.cleanup).toBe("completed");
    expect(calls).toEqual(["recovered post shop"]);
    expect(await sessions()).toEqual([]);
    await first.release();
  });

  it("keeps a live session's record when its thaw fails, and a recovery runs the thaw again at once", async () => {
    failing.add("thaw");
    const result = await runWithHooks(freezeThaw(), async () => undefined);
    expect(result.outcome).toBe("failed");
    expect(result.sessionRecord).toMatchObject({ namespace: ns, state: "owed" });
    failing.clear();
    execs.length = 0;
    const events = createRecoveryEvents();
    const waits: unknown[] = [];
    events.on("sessions:watching", (info) => waits.push(info));
    const report = await recoverSessions({ cluster: lc.cluster, namespaces: [ns], events });
    expect(waits).toEqual([]); // released: no lease duration to wait out
    expect(execs.sort()).toEqual(["db-0: thaw", "db-1: thaw"]);
    expect(report.recovered[0]?.session?.outcome).toBe("succeeded");
    expect(await sessions()).toEqual([]);
  });

  it("leaves nothing behind after a session that ends well, and records nothing without a freeze", async () => {
    const result = await runWithHooks(freezeThaw(), async () => undefined);
    expect(result.sessionRecord).toMatchObject({ state: "done" });
    expect(await sessions()).toEqual([]);
    expect((await lc.cluster.list({ ...LEASES, namespace: ns })).items).toEqual([]);
    const postOnly = await runWithHooks(
      {
        cluster: lc.cluster,
        subject: { kind: "Namespace", name: ns },
        hooks: { post: [execOn("thaw", ["thaw"])] },
      },
      async () => undefined,
    );
    expect(postOnly.sessionRecord).toBeUndefined();
  });
});

describe("a live session's record under API faults", () => {
  it("a host that cannot renew its Lease stops its step, and still runs its thaw under its record", async () => {
    lc.faults.add({ verb: "patch", resource: "leases", status: 500, times: Number.POSITIVE_INFINITY });
    const result = await runWithHooks(
      freezeThaw({ sessionRecord: { leaseDurationSeconds: 1, renewInterval: 100 } }),
      ({ signal }) =>
        new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason))),
    );
    // client-go's renew deadline: it stops acting before another host may take the Lease over …
    expect(result.outcome).toBe("cancelled");
    expect(result.error).toMatchObject({
      code: ErrorCodes.SESSION_LEASE_LOST,
      details: { confirmed: false },
    });
    // … but nobody took it: the record is still its own, so it thaws and ends the record.
    expect(execs.sort()).toEqual(["db-0: freeze", "db-0: thaw", "db-1: freeze", "db-1: thaw"]);
    expect(result.sessionRecord?.state).toBe("done");
    expect(await sessions()).toEqual([]);
  });

  it("a record that cannot be created stops the freeze, unless the host turned the record off", async () => {
    lc.faults.add({ verb: "create", resource: "configmaps", status: 403, times: Number.POSITIVE_INFINITY });
    const options = freezeThaw();
    const result = await runWithHooks(options, async () => undefined);
    expect(result.outcome).toBe("failed");
    expect(result.decidedBy).toBe("pre-hook-failed");
    expect(result.error).toMatchObject({ code: ErrorCodes.SESSION_RECORD_FAILED });
    expect(result.hooks.find((h) => h.name === "freeze")).toMatchObject({
      status: "failed",
      error: { code: ErrorCodes.SESSION_RECORD_FAILED },
    });
    expect(execs.filter((e) => e.endsWith("freeze"))).toEqual([]);
    expect((await lc.cluster.list({ ...LEASES, namespace: ns })).items).toEqual([]);
    const unrecorded = await runWithHooks({ ...options, sessionRecord: false }, async () => undefined);
    expect(unrecorded.outcome).toBe("succeeded");
    expect(execs.filter((e) => e.endsWith("freeze"))).toHaveLength(2);
  });

  it("writes that fail after the freeze let the hooks go on and say in the result that the record fell behind", async () => {
    lc.faults.add({ verb: "patch", resource: "configmaps", status: 403, times: Number.POSITIVE_INFINITY });
    const result = await runWithHooks(freezeThaw(), async () => undefined);
    expect(result.outcome).toBe("succeeded");
    expect(execs.sort()).toEqual(["db-0: freeze", "db-0: thaw", "db-1: freeze", "db-1: thaw"]);
    expect(result.sessionRecord?.state).toBe("done");
    expect(result.sessionRecord?.warnings?.map((w) => [w.code, w.message])).toEqual([
      [
        ErrorCodes.SESSION_RECORD_FAILED,
        expect.stringMatching(
          /fell behind .*what the hooks before the step did not recorded \(1 write failed\)/,
        ),
      ],
      [
        ErrorCodes.SESSION_RECORD_FAILED,
        expect.stringMatching(/a cleanup hook's claim not recorded \(1 write failed\)/),
      ],
    ]);
    expect(await sessions()).toEqual([]);
  });

  it("a Blueprint hook whose own record fell behind carries the action's warnings in its record", async () => {
    const blueprint = `
apiVersion: cr.kanister.io/v1alpha1
kind: Blueprint
metadata: { name: wal }
actions:
  freeze:
    phases:
      - { func: KubeExec, name: checkpoint, args: { namespace: ${ns}, pod: db-0, container: db, command: [checkpoint] } }
    deferPhase: { func: KubeExec, name: resume, args: { namespace: ${ns}, pod: db-0, container: db, command: [resume] } }
`;
    lc.faults.add({ verb: "patch", resource: "configmaps", status: 403, times: Number.POSITIVE_INFINITY });
    const result = await runWithHooks(
      {
        cluster: lc.cluster,
        subject: { kind: "Namespace", name: ns },
        hooks: { preHook: { blueprint, actionName: "freeze" } },
      },
      async () => undefined,
    );
    expect(result.outcome).toBe("succeeded");
    const [hook] = result.hooks;
    const expected = [
      [
        ErrorCodes.SESSION_RECORD_FAILED,
        expect.stringMatching(/a phase's output not recorded \(1 write failed\)/),
      ],
      [
        ErrorCodes.SESSION_RECORD_FAILED,
        expect.stringMatching(/the deferPhase's claim not recorded \(1 write failed\)/),
      ],
    ];
    expect(hook?.warnings?.map((w) => [w.code, w.message])).toEqual(expected);
    expect(hook?.attempts[0]?.warnings?.map((w) => [w.code, w.message])).toEqual(expected);
  });

  // Velero backups pod by pod: a pod is listed in the record only once its arming was written, so
  // a later write cannot make a recovery run the post hooks of a pod whose pre hooks never ran.
  it("a pod whose arming could not be written is not armed by a later write", async () => {
    await lc.apply(`
apiVersion: v1
kind: Pod
metadata: { name: db-2, namespace: ${ns}, labels: { app: db } }
spec: { containers: [{ name: db, image: postgres:16 }] }
`);
    await lc.cluster.waitFor(
      { version: "v1", resource: "pods", namespace: ns, name: "db-2" },
      (p) => (p?.status as { phase?: string } | undefined)?.phase === "Running",
    );
    const pods = ["db-0", "db-1", "db-2"];
    let refusal: { remove(): void } | undefined;
    let release: () => void = () => {};
    let blocked: () => void = () => {};
    const stepBlocked = new Promise<void>((r) => {
      blocked = r;
    });
    const result = runWithHooks(
      {
        cluster: lc.cluster,
        sessionRecord: { identity: "host-a", leaseDurationSeconds: 1, renewInterval: "10m" },
        stepPer: "target",
        hooks: {
          pre: pods.map((pod) => velero(pod, "pre", ["lock"], "Fail")),
          post: pods.map((pod) => velero(pod, "post", ["unlock"], "Fail")),
        },
      },
      async ({ target }) => {
        // Every record write between db-0's step and db-1's fails: db-1's arming among them.
        if (target?.name === "db-0") {
          refusal = lc.faults.add({
            verb: "patch",
            resource: "configmaps",
            status: 403,
            times: Number.POSITIVE_INFINITY,
          });
        } else if (target?.name === "db-1") {
          refusal?.remove();
        } else {
          blocked();
          await new Promise<void>((r) => {
            release = r;
          });
        }
        return undefined;
      },
    );
    await stepBlocked;
    expect(execs).toEqual(["db-0: lock", "db-0: unlock", "db-2: lock"]);
    const [record] = await sessions();
    const payload = readEnvelope(record as never).payload as {
      units: { pod?: string; target?: { name: string } }[];
    };
    expect(JSON.stringify(payload.units)).not.toContain('"db-1"');
    execs.length = 0;
    await recoverSessions({ cluster: lc.cluster, namespaces: [ns], identity: "rescuer" });
    expect(execs).toEqual(["db-2: unlock"]);
    release();
    await result;
    await lc.cluster.delete({ version: "v1", resource: "pods", namespace: ns, name: "db-2" });
  });

  it("a claim whose answer was lost after the API server wrote it is found to be its own", async () => {
    lc.faults.add({ verb: "patch", resource: "configmaps", loseResponse: true, times: 2 });
    const result = await runWithHooks(freezeThaw(), async () => undefined);
    expect(result.outcome).toBe("succeeded");
    expect(execs.filter((e) => e.endsWith("thaw"))).toHaveLength(2);
    expect(lc.faults.requests.filter((r) => r.resource === "configmaps" && r.injected)).toHaveLength(2);
    expect(result.sessionRecord?.state).toBe("done");
  });
});
