/**
 * Crash safety of Blueprint actions on the local cluster: the deferPhase an action owes is recorded
 * before its first phase, with what running it elsewhere needs, and a recovery runs it with the
 * same data. (The test with a real host process killed mid-action is the CLI's recover test.)
 */
import { ErrorCodes } from "@quiesce/core";
import {
  LEASES,
  readEnvelope,
  SessionRecord,
  type SessionRecord as SessionRecordType,
  takeExpiredSessions,
} from "@quiesce/kube";
import { takeLeaseOver } from "@quiesce/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startEnv, type TestEnv } from "../test-support/local.js";
import { type ActionRecordPayload, BLUEPRINT_ACTION_SESSION } from "./action-record.js";
import { recoverBlueprintAction } from "./recover-action.js";
import { runBlueprintAction } from "./run-action.js";

const ns = "rec";
const CONFIGMAPS = { version: "v1", resource: "configmaps", namespace: ns } as const;
let env: TestEnv;
const execs: string[] = [];
let gate: (() => void) | undefined;

beforeAll(async () => {
  env = await startEnv([ns]);
  await env.lc.apply(`
apiVersion: v1
kind: Pod
metadata: { name: db-0, namespace: ${ns}, labels: { app: db } }
spec: { containers: [{ name: db, image: postgres:16 }] }
---
apiVersion: v1
kind: Secret
metadata: { name: db-creds, namespace: ${ns} }
stringData: { password: "hunter2-secret" }
`);
  await env.lc.cluster.waitFor(
    { version: "v1", resource: "pods", namespace: ns, name: "db-0" },
    (p) => (p?.status as { phase?: string } | undefined)?.phase === "Running",
  );
  env.lc.runtime.onExec({ namespace: ns }, async (ctx) => {
    const line = ctx.argv.join(" ");
    execs.push(line);
    if (line.startsWith("block")) {
      await new Promise<void>((resolve) => {
        gate = resolve;
        ctx.signal.addEventListener("abort", () => resolve(), { once: true });
      });
    }
    if (line.startsWith("snapshot")) return { stdout: '###Phase-output###: {"key":"id","value":"snap-7"}\n' };
    if (line.startsWith("fail")) return { exitCode: 3 };
    return { stdout: "ok\n" };
  });
});
afterEach(async () => {
  execs.length = 0;
  for (const ref of [CONFIGMAPS, { ...LEASES, namespace: ns }]) {
    const { items } = await env.lc.cluster.list(ref, { labelSelector: "quiesce.dev/session" });
    for (const o of items)
      await env.lc.cluster.delete({ ...ref, name: o.metadata?.name ?? "" }).catch(() => {});
  }
});
afterAll(() => env.lc.stop());

const exec = (name: string, command: string) =>
  `{ func: KubeExec, name: ${name}, args: { namespace: ${ns}, pod: db-0, container: db, command: ${command} } }`;

// The deferPhase sees an earlier phase's output, the options, a Secret, the artifacts and .Time.
const blueprint = (middle: string) => `
apiVersion: cr.kanister.io/v1alpha1
kind: Blueprint
metadata: { name: freezer }
actions:
  backup:
    phases:
      - ${exec("freeze", "[freeze]")}
      - ${exec("snap", "[snapshot]")}
      - ${exec("copy", middle)}
    deferPhase:
      func: KubeExec
      name: thaw
      args:
        namespace: ${ns}
        pod: db-0
        container: db
        command:
          - thaw
          - "{{ .Phases.snap.Output.id }}"
          - "{{ .Options.mode }}"
          - "{{ .Secrets.creds.Data.password | toString | len }}"
          - "{{ .ArtifactsIn.prev.KeyValue.path }}"
          - "{{ .Time }}"
`;

const common = () => ({
  cluster: env.lc.cluster,
  registry: env.registry,
  subject: { kind: "Namespace", name: ns },
  options: { mode: "fast" },
  secrets: { creds: { namespace: ns, name: "db-creds" } },
  artifacts: { prev: { KeyValue: { path: "/backups/1" } } },
  time: new Date("2026-03-04T05:06:07.089Z"),
});

const records = async () =>
  (await env.lc.cluster.list(CONFIGMAPS, { labelSelector: "quiesce.dev/session" })).items;
const THAW = "thaw snap-7 fast 14 /backups/1 2026-03-04T05:06:07.089Z";

describe("a Blueprint action with a deferPhase", () => {
  it("records what its deferPhase needs before the first phase, keeps the outputs, and deletes the record at the end", async () => {
    const running = runBlueprintAction(blueprint("[block]"), "backup", {
      ...common(),
      sessionRecord: { leaseDurationSeconds: 5 },
    });
    while (!gate) await new Promise((r) => setTimeout(r, 10));
    const [cm] = await records();
    const envelope = readEnvelope<ActionRecordPayload>(cm ?? {});
    expect(cm?.metadata?.labels).toMatchObject({ "quiesce.dev/session": BLUEPRINT_ACTION_SESSION });
    expect(envelope.leaseDurationSeconds).toBe(5);
    expect(envelope.payload).toMatchObject({
      actionName: "backup",
      subject: { kind: "Namespace", name: ns },
      options: { mode: "fast" },
      secrets: { creds: { namespace: ns, name: "db-creds" } },
      time: "2026-03-04T05:06:07.089Z",
      phases: [
        { name: "freeze", status: "succeeded", output: {} },
        { name: "snap", status: "succeeded", output: { id: "snap-7" } },
      ],
      defer: { state: "pending", runs: 0 },
    });
    // References, not values: the Secret's data is not in the record.
    expect(JSON.stringify(cm)).not.toContain("hunter2");
    gate?.();
    gate = undefined;
    const result = await running;
    expect(result.status).toBe("succeeded");
    expect(execs).toEqual(["freeze", "snapshot", "block", THAW]);
    expect(await records()).toEqual([]);
  });

  it("is recovered elsewhere: the deferPhase runs once, with the same data, and the record is deleted", async () => {
    // A host that recorded its action, ran two phases and died (its Lease no longer renewed).
    const crashed = await crashedRecord();
    const taken = await takeExpiredSessions({
      cluster: env.lc.cluster,
      namespaces: [ns],
      identity: "rescuer",
    });
    expect(taken.taken.map((r) => r.name)).toEqual([crashed]);
    const result = await recoverBlueprintAction(taken.taken[0] as SessionRecordType<ActionRecordPayload>, {
      cluster: env.lc.cluster,
      registry: env.registry,
    });
    expect(execs).toEqual([THAW]);
    expect(result).toMatchObject({
      status: "failed",
      error: { code: ErrorCodes.SESSION_HOST_LOST },
      phases: [
        { name: "freeze", status: "succeeded" },
        { name: "snap", status: "succeeded" },
        { name: "copy", status: "failed", error: { code: ErrorCodes.SESSION_HOST_LOST } },
      ],
      deferPhase: { name: "thaw", status: "succeeded" },
    });
    expect(await records()).toEqual([]);
  });

  it("keeps its record when the deferPhase fails, and a recovery runs it again at once", async () => {
    const result = await runBlueprintAction(
      blueprint("[copy]").replace("- thaw\n", "- fail\n"),
      "backup",
      common(),
    );
    expect(result.deferPhase?.status).toBe("failed");
    const [cm] = await records();
    expect(cm?.metadata?.labels?.["quiesce.dev/session-state"]).toBe("owed");
    const waits: unknown[] = [];
    const taken = await takeExpiredSessions({
      cluster: env.lc.cluster,
      namespaces: [ns],
      identity: "rescuer",
      onWait: (info) => waits.push(info),
    });
    expect(waits).toEqual([]); // released: no lease duration to wait out
    execs.length = 0;
    const again = await recoverBlueprintAction(taken.taken[0] as SessionRecordType<ActionRecordPayload>, {
      cluster: env.lc.cluster,
      registry: env.registry,
    });
    expect(execs).toEqual(["fail snap-7 fast 14 /backups/1 2026-03-04T05:06:07.089Z"]);
    expect(again.deferPhase?.status).toBe("failed");
    // Still owed, now marked failed: not retried unless asked.
    const [left] = await records();
    expect(readEnvelope<ActionRecordPayload>(left ?? {})).toMatchObject({
      state: "failed",
      payload: { defer: { state: "failed", runs: 2 } },
    });
  });

  it("stops and leaves its deferPhase to the host that took the session over", async () => {
    const running = runBlueprintAction(blueprint("[block]"), "backup", {
      ...common(),
      // A long duration, so that a slow renewal on a loaded machine cannot make the host give the
      // session up itself; it finds the new holder at its next renewal.
      sessionRecord: { leaseDurationSeconds: 30, renewInterval: 100 },
    });
    while (!gate) await new Promise((r) => setTimeout(r, 10));
    const [cm] = await records();
    const name = cm?.metadata?.name ?? "";
    // Another host takes the session over while this one still renews it every 100 ms.
    const rescuer = await takeLeaseOver(env.lc.cluster, { namespace: ns, name, identity: "rescuer" });
    expect(rescuer.transitions).toBe(1);
    const result = await running;
    gate = undefined;
    expect(result.status).toBe("cancelled");
    expect(result.error?.code).toBe(ErrorCodes.SESSION_LEASE_LOST);
    expect(result.deferPhase).toMatchObject({
      status: "skipped",
      error: { code: ErrorCodes.SESSION_LEASE_LOST },
    });
    expect(execs).toEqual(["freeze", "snapshot", "block"]);
  });

  it("does not start when its record cannot be created; goes on, and says so, when later writes fail", async () => {
    env.lc.faults.add({ verb: "create", resource: "configmaps", status: 403, times: 1 });
    const refused = await runBlueprintAction(blueprint("[copy]"), "backup", common());
    expect(refused.status).toBe("failed");
    expect(refused.error?.code).toBe(ErrorCodes.SESSION_RECORD_FAILED);
    expect(refused.phases.map((p) => p.status)).toEqual(["skipped", "skipped", "skipped"]);
    expect(execs).toEqual([]);
    env.lc.faults.add({
      verb: "patch",
      resource: "configmaps",
      status: 403,
      times: Number.POSITIVE_INFINITY,
    });
    const result = await runBlueprintAction(blueprint("[copy]"), "backup", common());
    env.lc.faults.clear();
    expect(result.status).toBe("succeeded");
    expect(execs).toEqual(["freeze", "snapshot", "copy", THAW]);
    expect(result.warnings?.map((w) => [w.code, w.message])).toEqual([
      [
        ErrorCodes.SESSION_RECORD_FAILED,
        expect.stringMatching(/fell behind .*a phase's output not recorded \(3 writes failed\)/),
      ],
      [
        ErrorCodes.SESSION_RECORD_FAILED,
        expect.stringMatching(/the deferPhase's claim not recorded \(1 write failed\)/),
      ],
    ]);
    expect(await records()).toEqual([]);
  });

  it("records nothing with sessionRecord: false", async () => {
    const result = await runBlueprintAction(blueprint("[block]").replace("[block]", "[copy]"), "backup", {
      ...common(),
      sessionRecord: false,
    });
    expect(result.status).toBe("succeeded");
    expect((await env.lc.cluster.list({ ...LEASES, namespace: ns })).items).toEqual([]);
  });
});

// What a host that died after two phases leaves: the record as it wrote it, its Lease not renewed.
async function crashedRecord(): Promise<string> {
  const running = runBlueprintAction(blueprint("[block]"), "backup", {
    ...common(),
    sessionRecord: { leaseDurationSeconds: 1, identity: "crashed-host" },
  });
  while (!gate) await new Promise((r) => setTimeout(r, 10));
  const [cm] = await records();
  const name = cm?.metadata?.name ?? "";
  // Freeze the host's record as it is: a copy of it under a Lease nobody renews.
  const envelope = readEnvelope<ActionRecordPayload>(cm ?? {});
  await env.lc.cluster.delete({ ...CONFIGMAPS, name });
  await env.lc.cluster.delete({ ...LEASES, namespace: ns, name });
  gate?.();
  gate = undefined;
  await running;
  execs.length = 0;
  const copy = await SessionRecord.open(
    {
      cluster: env.lc.cluster,
      namespace: ns,
      kind: BLUEPRINT_ACTION_SESSION,
      identity: "crashed-host",
      leaseDurationSeconds: 1,
    },
    envelope.payload,
  );
  await copy.lease.stop();
  return copy.name;
}
