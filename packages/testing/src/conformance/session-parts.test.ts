/**
 * A session record whose list is stored in parts (`partsOf`), on the local cluster: every part is
 * read back by a taker, what the taker changes is written to its part, the old holder's writes are
 * still fenced, and the record's one ConfigMap is deleted with everything in it.
 */
import { ErrorCodes } from "@quiesce/core";
import {
  LEASES,
  PART_ITEMS,
  readEnvelope,
  SESSION_DATA_KEY,
  SessionRecord,
  sessionPartKey,
  takeExpiredSessions,
} from "@quiesce/kube";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type LocalCluster, startLocalCluster } from "../index.js";

interface Unit {
  namespace: string;
  thaw: "pending" | "running" | "done";
  runs: number;
}
interface Payload {
  operationId: string;
  units: Unit[];
}

let lc: LocalCluster;
const ns = "session-parts";
const CONFIGMAPS = { version: "v1", resource: "configmaps", namespace: ns } as const;
const held: SessionRecord<Payload>[] = [];

beforeAll(async () => {
  lc = await startLocalCluster({ namespaces: [ns] });
});
afterEach(async () => {
  for (const r of held.splice(0)) await r.lease.stop();
  for (const ref of [CONFIGMAPS, { ...LEASES, namespace: ns }]) {
    const { items } = await lc.cluster.list(ref, { labelSelector: "quiesce.dev/session" });
    for (const o of items) await lc.cluster.delete({ ...ref, name: o.metadata?.name ?? "" }).catch(() => {});
  }
});
afterAll(() => lc.stop());

const units = (n: number): Unit[] =>
  Array.from({ length: n }, (_, i) => ({ namespace: `ns-${i}`, thaw: "pending", runs: 0 }));
const stored = (name: string) => lc.cluster.get({ ...CONFIGMAPS, name });

describe("a session record in parts", () => {
  it("is one ConfigMap: a head and the parts of its list, read back whole, changed part by part", async () => {
    const list = units(2 * PART_ITEMS + 3);
    const record = await SessionRecord.open<Payload>(
      { cluster: lc.cluster, namespace: ns, kind: "test", identity: "host-a", partsOf: "units" },
      { operationId: "op-1", units: list },
    );
    held.push(record);
    const cm = (await stored(record.name)) as {
      data?: Record<string, string>;
      binaryData?: Record<string, string>;
    };
    expect(JSON.parse(cm.data?.[SESSION_DATA_KEY] ?? "")).toMatchObject({
      version: 2,
      parts: { field: "units", count: 3 },
      payload: { operationId: "op-1" },
    });
    expect(Object.keys(cm.binaryData ?? {}).sort()).toEqual([0, 1, 2].map(sessionPartKey));
    expect(readEnvelope<Payload>(await stored(record.name)).payload.units).toEqual(list);

    const last = list.at(-1) as Unit;
    const before = (await stored(record.name)) as { binaryData?: Record<string, string> };
    await record.update(() => {
      last.thaw = "running";
      last.runs += 1;
    }, [last]);
    const after = (await stored(record.name)) as { binaryData?: Record<string, string> };
    // Only the last part changed in the cluster.
    expect(after.binaryData?.[sessionPartKey(0)]).toBe(before.binaryData?.[sessionPartKey(0)]);
    expect(after.binaryData?.[sessionPartKey(1)]).toBe(before.binaryData?.[sessionPartKey(1)]);
    expect(after.binaryData?.[sessionPartKey(2)]).not.toBe(before.binaryData?.[sessionPartKey(2)]);
    expect(readEnvelope<Payload>(await stored(record.name)).payload.units.at(-1)).toEqual({
      namespace: `ns-${2 * PART_ITEMS + 2}`,
      thaw: "running",
      runs: 1,
    });

    await record.close("done");
    held.splice(0);
    expect((await lc.cluster.list(CONFIGMAPS, { labelSelector: "quiesce.dev/session" })).items).toEqual([]);
  });

  it("is taken over with every part: the taker's changes land in their parts, the old holder's are fenced", async () => {
    const list = units(3 * PART_ITEMS);
    const record = await SessionRecord.open<Payload>(
      {
        cluster: lc.cluster,
        namespace: ns,
        kind: "test",
        identity: "host-a",
        leaseDurationSeconds: 1,
        renewIntervalMs: 200,
        partsOf: "units",
      },
      { operationId: "op-2", units: list },
    );
    held.push(record);
    // The first unit's thaw ran and succeeded; then the host hangs.
    const first = list[0] as Unit;
    await record.update(() => {
      first.thaw = "done";
    }, [first]);
    await record.lease.stop();

    const result = await takeExpiredSessions({
      cluster: lc.cluster,
      namespaces: [ns],
      identity: "rescuer",
      leaseDurationSeconds: 5,
    });
    const taken = result.taken[0] as unknown as SessionRecord<Payload>;
    held.push(taken);
    expect(taken.envelope).toMatchObject({ holder: { identity: "rescuer" }, recoveries: 1 });
    expect(taken.payload.units).toEqual(list);
    const owed = taken.payload.units.filter((u) => u.thaw !== "done").map((u) => u.namespace);
    expect(owed).toHaveLength(3 * PART_ITEMS - 1);

    // The rescuer claims a unit in the middle part.
    const middle = taken.payload.units[PART_ITEMS + 1] as Unit;
    await taken.update(() => {
      middle.thaw = "running";
      middle.runs += 1;
    }, [middle]);
    // The old holder wakes up and claims one too: refused, and nothing of it is written.
    const stale = list[2 * PART_ITEMS] as Unit;
    const write = record.update(() => {
      stale.thaw = "running";
    }, [stale]);
    await expect(write).rejects.toMatchObject({ code: ErrorCodes.SESSION_LEASE_LOST });

    const now = readEnvelope<Payload>(await stored(record.name));
    expect(now.holder.identity).toBe("rescuer");
    expect(now.payload.units.map((u) => u.thaw)).toEqual(
      list.map((_, i) => (i === 0 ? "done" : i === PART_ITEMS + 1 ? "running" : "pending")),
    );
    // Kept for a later recovery: every part, whole.
    await taken.close("failed");
    held.splice(0);
    expect(readEnvelope<Payload>(await stored(record.name))).toMatchObject({
      state: "failed",
      payload: { units: expect.arrayContaining([{ namespace: "ns-26", thaw: "running", runs: 1 }]) },
    });
  });
});
