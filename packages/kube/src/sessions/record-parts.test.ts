/**
 * A record's long list in parts, encoded and read back without a cluster: what each write carries
 * (only the parts that changed) and that readers put the list back together whatever the writes.
 * The same on the local cluster, with takeovers: packages/testing/src/conformance/session-parts.test.ts.
 */
import { randomBytes } from "node:crypto";
import { ErrorCodes, registerSecret } from "@quiesce/core";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../cluster.js";
import { SESSION_DATA_KEY } from "./record-codec.js";
import { PART_ITEMS, RecordParts, readParts, sessionPartKey } from "./record-parts.js";
import { readEnvelope } from "./session-record.js";

interface Item {
  id: number;
  state: string;
}
const items = (n: number, from = 0): Item[] =>
  Array.from({ length: n }, (_, i) => ({ id: from + i, state: "pending" }));
const envelopeOf = (list: Item[]) => ({
  version: 1 as const,
  kind: "hooks",
  sessionId: "s",
  state: "active" as const,
  holder: { identity: "host-a", transitions: 0 },
  leaseDurationSeconds: 30,
  createdAt: "2026-01-01T00:00:00Z",
  updatedAt: "2026-01-01T00:00:00Z",
  recoveries: 0,
  payload: { operationId: "op", units: list },
});

/** A ConfigMap the writes went to (a merge patch: `null` removes a key). */
class Stored {
  data: Record<string, string> = {};
  binaryData: Record<string, string> = {};
  /** Keys each write set. */
  writes: string[][] = [];
  apply(write: {
    encoded: { data: Record<string, string | null>; binaryData: Record<string, string | null> };
  }) {
    const set: string[] = [];
    for (const [target, fields] of [
      [this.data, write.encoded.data],
      [this.binaryData, write.encoded.binaryData],
    ] as const) {
      for (const [k, v] of Object.entries(fields)) {
        if (v === null) delete target[k];
        else {
          target[k] = v;
          set.push(k);
        }
      }
    }
    this.writes.push(set.sort());
  }
  get object(): KubeObject {
    return {
      metadata: { namespace: "db", name: "quiesce-session-s" },
      data: { ...this.data },
      binaryData: { ...this.binaryData },
    } as KubeObject;
  }
  payload(): { units: Item[] } {
    return readEnvelope<{ units: Item[] }>(this.object).payload;
  }
}

function written(parts: RecordParts, stored: Stored, envelope: ReturnType<typeof envelopeOf>, full = false) {
  const write = parts.encode(envelope, full);
  stored.apply(write);
  write.commit();
  return stored.writes.at(-1);
}

describe("a record's list in parts", () => {
  it("stays in one piece, version 1, while the list is short", () => {
    const stored = new Stored();
    const env = envelopeOf(items(PART_ITEMS));
    expect(written(new RecordParts("units"), stored, env)).toEqual([SESSION_DATA_KEY]);
    expect(JSON.parse(stored.data[SESSION_DATA_KEY] ?? "")).toMatchObject({
      version: 1,
      payload: env.payload,
    });
  });

  it("is split once longer, and a write carries only the parts whose items changed", () => {
    const stored = new Stored();
    const parts = new RecordParts("units");
    const list = items(3 * PART_ITEMS + 5);
    const env = envelopeOf(list);
    expect(written(parts, stored, env)).toEqual([SESSION_DATA_KEY, 0, 1, 2, 3].map(keyOf));
    const head = JSON.parse(stored.data[SESSION_DATA_KEY] ?? "");
    expect(head).toMatchObject({ version: 2, parts: { field: "units", count: 4 } });
    expect(head.payload.units).toBeUndefined();
    expect(stored.payload().units).toEqual(list);

    // A change to one item: the head and that item's part.
    (list[PART_ITEMS + 3] as Item).state = "running";
    parts.touch([list[PART_ITEMS + 3]]);
    expect(written(parts, stored, env)).toEqual([SESSION_DATA_KEY, sessionPartKey(1)]);
    // A change nobody named is not written…
    (list[0] as Item).state = "done";
    expect(written(parts, stored, env)).toEqual([SESSION_DATA_KEY]);
    expect(stored.payload().units[0]?.state).toBe("pending");
    // …unless the write is a full one.
    expect(written(parts, stored, env, true)).toEqual([SESSION_DATA_KEY, 0, 1, 2, 3].map(keyOf));
    expect(stored.payload().units).toEqual(list);

    // Items added fill the last part, then open a new one; nothing else is written.
    list.push(...items(PART_ITEMS, 1000));
    expect(written(parts, stored, env)).toEqual([SESSION_DATA_KEY, sessionPartKey(3), sessionPartKey(4)]);
    // An item removed: its part, without being named.
    env.payload.units = list.filter((i) => i.id !== 7);
    expect(written(parts, stored, env)).toEqual([SESSION_DATA_KEY, sessionPartKey(0)]);
    expect(stored.payload().units).toEqual(env.payload.units);
    expect(JSON.parse(stored.data[SESSION_DATA_KEY] ?? "").parts.count).toBe(5);
  });

  it("writes a part again after a write that did not go through", () => {
    const stored = new Stored();
    const parts = new RecordParts("units");
    const list = items(2 * PART_ITEMS);
    const env = envelopeOf(list);
    written(parts, stored, env);
    (list[30] as Item).state = "running";
    parts.touch([list[30]]);
    parts.encode(env, false); // the PATCH failed: not applied, not committed
    expect(written(parts, stored, env)).toEqual([SESSION_DATA_KEY, sessionPartKey(1)]);
    expect(stored.payload().units[30]?.state).toBe("running");
  });

  it("is read back with the layout it was written in, so a new holder writes only what it changes", () => {
    const stored = new Stored();
    const list = items(2 * PART_ITEMS + 1);
    written(new RecordParts("units"), stored, envelopeOf(list));
    // What adopting it does: the head parsed, the list put back together from its parts.
    const env = JSON.parse(stored.data[SESSION_DATA_KEY] ?? "") as ReturnType<typeof envelopeOf>;
    const again = readParts(stored.object, (env as { parts?: unknown }).parts, env.payload, "db/x");
    expect(env.payload.units).toEqual(list);
    (env.payload.units[2 * PART_ITEMS] as Item).state = "done";
    again.touch([env.payload.units[2 * PART_ITEMS]]);
    expect(written(again, stored, env)).toEqual([SESSION_DATA_KEY, sessionPartKey(2)]);
    expect(stored.payload().units.at(-1)?.state).toBe("done");
  });

  it("reads a record whose part is missing or not gzipped JSON as invalid, naming the part", () => {
    const stored = new Stored();
    written(new RecordParts("units"), stored, envelopeOf(items(2 * PART_ITEMS)));
    const missing = stored.object as { binaryData: Record<string, string> };
    delete missing.binaryData[sessionPartKey(1)];
    expect(() => readEnvelope(missing as KubeObject)).toThrow(
      expect.objectContaining({
        code: ErrorCodes.SESSION_RECORD_INVALID,
        message: expect.stringContaining(
          `db/quiesce-session-s: part 1 of 2 (${sessionPartKey(1)}) is missing`,
        ),
      }),
    );
    const bad = stored.object as { binaryData: Record<string, string> };
    bad.binaryData[sessionPartKey(0)] = Buffer.from("not gzip").toString("base64");
    expect(() => readEnvelope(bad as KubeObject)).toThrow(
      expect.objectContaining({
        code: ErrorCodes.SESSION_RECORD_INVALID,
        message: expect.stringContaining(sessionPartKey(0)),
      }),
    );
  });

  it("redacts registered secrets in parts, and refuses a record whose parts together pass 1 MiB", () => {
    const secret = `s3cr3t-${randomBytes(6).toString("hex")}`;
    registerSecret(secret);
    const stored = new Stored();
    const list = items(2 * PART_ITEMS).map((i) => ({ ...i, state: `token ${secret}` }));
    written(new RecordParts("units"), stored, envelopeOf(list));
    expect(stored.payload().units[40]?.state).not.toContain(secret);
    expect(stored.payload().units[40]?.state).toContain("token ");

    // Random bytes do not compress: 40 KiB per item, 30 items, about 1.6 MiB in parts of 1 MiB at most each.
    const big = items(30).map((i) => ({ ...i, state: randomBytes(40 * 1024).toString("base64") }));
    expect(() => new RecordParts("units").encode(envelopeOf(big), true)).toThrow(
      expect.objectContaining({ code: ErrorCodes.SESSION_RECORD_FAILED }),
    );
  });
});

function keyOf(k: string | number): string {
  return typeof k === "string" ? k : sessionPartKey(k);
}
