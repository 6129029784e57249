/**
 * Session records on the local cluster: a ConfigMap guarded by a Lease that its holder renews, taken
 * over only once its holder is gone — by exactly one of several takers — with client-go's rules.
 */
import { randomBytes } from "node:crypto";
import { ErrorCodes, type QuiesceError, registerSecret } from "@quiesce/core";
import {
  COMPRESS_ABOVE_BYTES,
  HeldLease,
  LEASES,
  leaseStateOf,
  observeLease,
  readEnvelope,
  SESSION_DATA_KEY,
  SESSION_GZIP_KEY,
  SessionRecord,
  takeExpiredSessions,
} from "@quiesce/kube";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type LocalCluster, startLocalCluster, takeLeaseOver } from "../index.js";

let lc: LocalCluster;
const ns = "sessions";
const CONFIGMAPS = { version: "v1", resource: "configmaps", namespace: ns } as const;
const open: SessionRecord<{ owed: string[] }>[] = [];

beforeAll(async () => {
  lc = await startLocalCluster({ namespaces: [ns, "elsewhere"] });
});
afterEach(async () => {
  lc.faults.clear();
  for (const r of open.splice(0)) await r.lease.stop();
  for (const ref of [CONFIGMAPS, { ...LEASES, namespace: ns }]) {
    const { items } = await lc.cluster.list(ref, { labelSelector: "quiesce.dev/session" });
    for (const o of items) await lc.cluster.delete({ ...ref, name: o.metadata?.name ?? "" }).catch(() => {});
  }
});
afterAll(() => lc.stop());

async function session(identity: string, leaseDurationSeconds = 1, renewIntervalMs = 200) {
  const record = await SessionRecord.open(
    { cluster: lc.cluster, namespace: ns, kind: "test", identity, leaseDurationSeconds, renewIntervalMs },
    { owed: ["thaw"] },
  );
  open.push(record);
  return record;
}

const lease = (name: string) => lc.cluster.get({ ...LEASES, namespace: ns, name });
const configMap = (name: string) => lc.cluster.get({ ...CONFIGMAPS, name });
const sessionNames = async () =>
  (await lc.cluster.list(CONFIGMAPS, { labelSelector: "quiesce.dev/session" })).items.map(
    (o) => o.metadata?.name,
  );

describe("a session record", () => {
  it("is a ConfigMap and a Lease of one name, the Lease held and renewed by its host, both deleted when done", async () => {
    const record = await session("host-a");
    const cm = await configMap(record.name);
    expect(cm.metadata?.labels).toMatchObject({
      "app.kubernetes.io/managed-by": "quiesce",
      "quiesce.dev/session": "test",
      "quiesce.dev/session-state": "active",
    });
    expect(readEnvelope(cm)).toMatchObject({
      kind: "test",
      state: "active",
      holder: { identity: "host-a", transitions: 0 },
      leaseDurationSeconds: 1,
      payload: { owed: ["thaw"] },
    });
    const first = leaseStateOf(await lease(record.name));
    expect(first).toMatchObject({ holderIdentity: "host-a", leaseDurationSeconds: 1, leaseTransitions: 0 });
    expect(first.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    await expect
      .poll(async () => Date.parse(leaseStateOf(await lease(record.name)).renewTime ?? ""), {
        timeout: 10_000,
      })
      .toBeGreaterThan(Date.parse(first.renewTime ?? ""));
    await record.update((p) => {
      p.owed = [];
    });
    expect(readEnvelope<{ owed: string[] }>(await configMap(record.name)).payload.owed).toEqual([]);
    await record.close("done");
    expect(await sessionNames()).toEqual([]);
    await expect(lease(record.name)).rejects.toMatchObject({ code: ErrorCodes.KUBE_NOT_FOUND });
  });

  it("never holds a registered secret: values are redacted before the record is written", async () => {
    const undo = registerSecret("s3cr3t-passw0rd");
    try {
      const record = await session("host-a");
      await record.update((p) => {
        p.owed = ["mysql -p s3cr3t-passw0rd -e 'UNLOCK TABLES'"];
      });
      const text = ((await configMap(record.name)) as { data: Record<string, string> }).data[
        SESSION_DATA_KEY
      ];
      expect(text).not.toContain("s3cr3t-passw0rd");
      expect(readEnvelope<{ owed: string[] }>(await configMap(record.name)).payload.owed).toEqual([
        "mysql -p [REDACTED] -e 'UNLOCK TABLES'",
      ]);
    } finally {
      undo();
    }
  });

  it("writes updates asked during a write together, each resolved once its change is in the cluster", async () => {
    const record = await session("host-a");
    const before = record.writes;
    const stored = async () => readEnvelope<{ owed: string[] }>(await configMap(record.name)).payload.owed;
    const first = record.update((p) => {
      p.owed.push("a");
    });
    // Asked once the write of "a" is under way.
    await new Promise((resolve) => setImmediate(resolve));
    const rest = ["b", "c", "d", "e"].map((name) =>
      record.update((p) => {
        p.owed.push(name);
      }),
    );
    const bad = record
      .update(() => {
        throw new Error("this change fails");
      })
      .catch((err: unknown) => err);
    await first;
    expect(await stored()).toContain("a");
    await Promise.all(rest);
    expect(await stored()).toEqual(["thaw", "a", "b", "c", "d", "e"]);
    expect(await bad).toMatchObject({ message: "this change fails" });
    // One write for "a", one for everything asked while it was under way.
    expect(record.writes - before).toBe(2);
  });

  it("stores a large record gzipped under binaryData and a small one as JSON again, never both", async () => {
    type Stored = { data?: Record<string, string>; binaryData?: Record<string, string> };
    const record = await session("host-a");
    // Repetitive like a session over many targets: 2.4 MB of JSON, far above a ConfigMap's 1 MiB.
    const owed = Array.from(
      { length: 40_000 },
      (_, i) => `ns-${i % 1000}/db-${i}: fsfreeze --unfreeze /data`,
    );
    await record.update((p) => {
      p.owed = owed;
    });
    const big = (await configMap(record.name)) as Stored;
    expect(big.data?.[SESSION_DATA_KEY]).toBeUndefined();
    const gz = Buffer.from(big.binaryData?.[SESSION_GZIP_KEY] ?? "", "base64");
    expect(gz.length).toBeGreaterThan(0);
    expect(gz.length).toBeLessThan(1024 * 1024);
    expect(readEnvelope<{ owed: string[] }>(big as never).payload.owed).toEqual(owed);
    await record.update((p) => {
      p.owed = ["thaw"];
    });
    const small = (await configMap(record.name)) as Stored;
    expect(small.binaryData?.[SESSION_GZIP_KEY]).toBeUndefined();
    expect(JSON.parse(small.data?.[SESSION_DATA_KEY] ?? "")).toMatchObject({ payload: { owed: ["thaw"] } });
    expect(Buffer.byteLength(small.data?.[SESSION_DATA_KEY] ?? "")).toBeLessThan(COMPRESS_ABOVE_BYTES);
  });

  it("reads a record that is not gzip data as invalid, naming it", () => {
    const cm = {
      metadata: { namespace: ns, name: "quiesce-session-x" },
      binaryData: { [SESSION_GZIP_KEY]: "bm90IGd6aXA=" },
    };
    expect(() => readEnvelope(cm)).toThrow(
      expect.objectContaining({
        code: ErrorCodes.SESSION_RECORD_INVALID,
        message: expect.stringContaining("sessions/quiesce-session-x"),
      }),
    );
  });

  it("refuses a record above a ConfigMap's 1 MiB even gzipped and leaves no Lease behind", async () => {
    // Random bytes do not compress: 1.5 MiB of them stay above 1 MiB gzipped.
    const failure = SessionRecord.open(
      { cluster: lc.cluster, namespace: ns, kind: "test", identity: "host-a", leaseDurationSeconds: 1 },
      { owed: [randomBytes(1.5 * 1024 * 1024).toString("base64")] },
    );
    await expect(failure).rejects.toMatchObject({ code: ErrorCodes.SESSION_RECORD_FAILED });
    expect((await lc.cluster.list({ ...LEASES, namespace: ns })).items).toEqual([]);
  });
});

describe("taking sessions over", () => {
  it("leaves a session whose holder renews while it watches it for a lease duration", async () => {
    const record = await session("host-a");
    const result = await takeExpiredSessions({ cluster: lc.cluster, namespaces: [ns], identity: "rescuer" });
    expect(result.taken).toEqual([]);
    expect(result.skipped).toEqual([
      expect.objectContaining({ name: record.name, reason: "alive", holder: "host-a" }),
    ]);
  });

  it("takes a session whose holder stopped renewing, fences the old holder's writes, and renews it", async () => {
    const record = await session("host-a");
    await record.lease.stop(); // the host hangs: no more renewals
    const started = Date.now();
    const result = await takeExpiredSessions({
      cluster: lc.cluster,
      namespaces: [ns],
      identity: "rescuer",
      leaseDurationSeconds: 1,
      renewIntervalMs: 200,
    });
    expect(result.taken.map((r) => r.name)).toEqual([record.name]);
    const taken = result.taken[0] as SessionRecord;
    open.push(taken as SessionRecord<{ owed: string[] }>);
    // Observed unchanged for a whole lease duration first (client-go's rule).
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(leaseStateOf(await lease(record.name))).toMatchObject({
      holderIdentity: "rescuer",
      leaseTransitions: 1,
    });
    expect(taken.envelope).toMatchObject({ holder: { identity: "rescuer", transitions: 1 }, recoveries: 1 });
    const write = record.update((p) => {
      p.owed = ["written by the old holder"];
    });
    await expect(write).rejects.toMatchObject({ code: ErrorCodes.SESSION_LEASE_LOST });
    expect(readEnvelope<{ owed: string[] }>(await configMap(record.name)).payload.owed).toEqual(["thaw"]);
    const renewed = leaseStateOf(await lease(record.name)).renewTime;
    await expect
      .poll(async () => leaseStateOf(await lease(record.name)).renewTime, { timeout: 10_000 })
      .not.toBe(renewed);
  });

  it("gives each session to exactly one of several takers racing for it", async () => {
    const records = [await session("host-a"), await session("host-b")];
    for (const r of records) await r.lease.stop();
    const racers = await Promise.all(
      ["rescuer-1", "rescuer-2", "rescuer-3"].map((identity) =>
        takeExpiredSessions({ cluster: lc.cluster, namespaces: [ns], identity, leaseDurationSeconds: 5 }),
      ),
    );
    for (const r of racers) open.push(...(r.taken as SessionRecord<{ owed: string[] }>[]));
    const takenNames = racers.flatMap((r) => r.taken.map((t) => t.name)).sort();
    expect(takenNames).toEqual(records.map((r) => r.name).sort());
    // Each loser says so.
    expect(racers.flatMap((r) => r.skipped.map((s) => s.reason))).toEqual([
      "taken",
      "taken",
      "taken",
      "taken",
    ]);
    for (const name of takenNames) {
      const holder = leaseStateOf(await lease(name)).holderIdentity;
      const winner = racers.find((r) => r.taken.some((t) => t.name === name));
      expect(winner?.taken[0]?.lease.identity).toBe(holder);
    }
  });

  it("takes a released session (cleanup owed) at once, and leaves a failed one unless asked", async () => {
    const owed = await session("host-a", 30);
    await owed.close("owed");
    const failed = await session("host-b", 30);
    await failed.close("failed");
    expect(leaseStateOf(await lease(owed.name))).toMatchObject({
      holderIdentity: "",
      leaseDurationSeconds: 1,
    });
    const waits: unknown[] = [];
    const result = await takeExpiredSessions({
      cluster: lc.cluster,
      namespaces: [ns],
      identity: "rescuer",
      onWait: (info) => waits.push(info),
    });
    open.push(...(result.taken as SessionRecord<{ owed: string[] }>[]));
    expect(waits).toEqual([]); // released or failed: no Lease to watch
    expect(result.taken.map((r) => r.name)).toEqual([owed.name]);
    expect(result.skipped).toEqual([expect.objectContaining({ name: failed.name, reason: "failed" })]);
    await result.taken[0]?.close("done"); // else the next call watches its live Lease for 30 s
    const again = await takeExpiredSessions({
      cluster: lc.cluster,
      namespaces: [ns],
      identity: "rescuer-2",
      retryFailed: true,
    });
    open.push(...(again.taken as SessionRecord<{ owed: string[] }>[]));
    expect(again.taken.map((r) => r.name)).toEqual([failed.name]);
  });

  it("removes a Lease whose record is gone and takes a record whose Lease is gone", async () => {
    const noRecord = await session("host-a");
    await noRecord.lease.stop();
    await lc.cluster.delete({ ...CONFIGMAPS, name: noRecord.name });
    const noLease = await session("host-b");
    await noLease.lease.delete();
    await new Promise((r) => setTimeout(r, 1100));
    const result = await takeExpiredSessions({ cluster: lc.cluster, namespaces: [ns], identity: "rescuer" });
    open.push(...(result.taken as SessionRecord<{ owed: string[] }>[]));
    expect(result.removedLeases).toEqual([{ namespace: ns, name: noRecord.name }]);
    expect(result.taken.map((r) => r.name)).toEqual([noLease.name]);
    expect(leaseStateOf(await lease(noLease.name))).toMatchObject({
      holderIdentity: "rescuer",
      leaseTransitions: 1,
    });
  });

  it("counts a Lease without a record that its host deletes first as finished, not as an error", async () => {
    const ending = await session("host-a");
    await ending.lease.stop();
    await lc.cluster.delete({ ...CONFIGMAPS, name: ending.name });
    // Its host deletes the Lease between the taker's read and its delete.
    lc.faults.add({ verb: "delete", resource: "leases", status: 404, times: 1 });
    const result = await takeExpiredSessions({ cluster: lc.cluster, namespaces: [ns], identity: "rescuer" });
    expect(result.removedLeases).toEqual([]);
    expect(result.skipped).toEqual([expect.objectContaining({ name: ending.name, reason: "finished" })]);
  });

  it("lets a holder find out at its next renewal that its Lease was taken", async () => {
    const lost: QuiesceError[] = [];
    const record = await SessionRecord.open(
      {
        cluster: lc.cluster,
        namespace: ns,
        kind: "test",
        identity: "host-a",
        // Long enough that a slow renewal on a loaded machine is not what it finds out first.
        leaseDurationSeconds: 30,
        renewIntervalMs: 200,
        onLost: (e) => lost.push(e),
      },
      { owed: ["thaw"] },
    );
    open.push(record);
    // Taken while its holder renews every 200 ms (a renewal in between is a conflict, read again).
    await takeLeaseOver(lc.cluster, { namespace: ns, name: record.name, identity: "intruder" });
    await expect.poll(() => lost.length, { timeout: 10_000 }).toBe(1);
    expect(lost.map((e) => e.code)).toEqual([ErrorCodes.SESSION_LEASE_LOST]);
    expect(record.lease.lost?.message).toMatch(/now held by intruder/);
  });

  it("a takeover that loses to a renewal or to the Lease's deletion resolves undefined, never an API error", async () => {
    const record = await session("host-a", 30);
    const seen = observeLease(await lease(record.name));
    await record.lease.renew(); // the holder renews after the candidate read the Lease
    const options = {
      cluster: lc.cluster,
      namespace: ns,
      name: record.name,
      identity: "rescuer",
      durationSeconds: 30,
    };
    await expect(HeldLease.takeOver(options, seen)).resolves.toBeUndefined();
    expect(leaseStateOf(await lease(record.name)).holderIdentity).toBe("host-a");
    // The update conflicts and the Lease is gone by the time it is read again: its session ended.
    await record.lease.delete();
    lc.faults.add({ verb: "patch", resource: "leases", status: 409, times: 1 });
    await expect(HeldLease.takeOver(options, seen)).resolves.toBeUndefined();
  });
});
