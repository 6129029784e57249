/**
 * The record of a large session fits a ConfigMap: 1,000 namespaces × 10 pods (the scale bench's
 * session), each namespace with a freeze and a thaw hook from HookTemplates, as the record stands
 * at the end — every unit armed, its freeze recorded on its pods, its thaw claimed and discharged.
 */
import {
  encodeRecord,
  MAX_RECORD_BYTES,
  PART_ITEMS,
  RecordParts,
  SESSION_GZIP_KEY,
  type SessionEnvelope,
} from "@quiesce/kube";
import { describe, expect, it } from "vitest";
import type { HooksPayload, StoredUnit } from "./ledger-payload.js";

const template = (name: string, flag: string) => ({
  apiVersion: "core.kubestash.com/v1alpha1",
  kind: "HookTemplate",
  metadata: {
    name,
    namespace: "stash",
    resourceVersion: "4711",
    uid: "8d3c1a52-8f0e-4b36-9a55-0b1e7f1a2c3d",
  },
  spec: {
    usagePolicy: { allowedNamespaces: { from: "All" } },
    params: [{ name: "path", usage: "the filesystem to freeze", required: false, default: "/data" }],
    action: { exec: { command: ["/bin/sh", "-c", `fsfreeze ${flag} {{ .path }}`] } },
    executor: { type: "Pod", pod: { selector: "app=db", owner: "", strategy: "ExecuteOnAll" } },
  },
});

function unit(i: number): StoredUnit {
  const namespace = `ns-${String(i).padStart(4, "0")}`;
  const pods = Array.from({ length: 10 }, (_, p) => `db-${namespace}-${p}`);
  const at = "2026-12-06T07:30:00.123Z";
  return {
    namespace,
    subject: { apiGroup: "apps", kind: "StatefulSet", name: "db", namespace },
    preFailed: false,
    onSuccessFailed: false,
    artifacts: {},
    pre: [{ phase: "pre", name: "freeze", status: "succeeded", targets: pods }],
    cleanup: [
      {
        phase: "post",
        name: "thaw",
        spec: { name: "thaw", template: template("thaw", "--unfreeze"), params: { path: "/data" } },
        state: "done",
        runs: 1,
        by: "backup-operator-7d9f8c6b5-x2x4k_5b0e2a47-3d71-4c1b-8a51-0c0b6f1f2e9a",
        record: {
          status: "succeeded",
          startedAt: at,
          finishedAt: at,
          attempts: 1,
          targets: pods.map((name) => ({ name, status: "succeeded", exitCode: 0 })),
        },
      },
    ],
  };
}

describe("the record of a session over 1,000 namespaces × 10 pods", () => {
  it("is stored gzipped well below a ConfigMap's 1 MiB, though its JSON is above it — whole or in parts", () => {
    const envelope: SessionEnvelope<HooksPayload> = {
      version: 1,
      kind: "hooks",
      sessionId: "5b0e2a47-3d71-4c1b-8a51-0c0b6f1f2e9a",
      state: "active",
      holder: {
        identity: "backup-operator-7d9f8c6b5-x2x4k_5b0e2a47-3d71-4c1b-8a51-0c0b6f1f2e9a",
        transitions: 0,
      },
      leaseDurationSeconds: 30,
      createdAt: "2026-12-06T07:30:00.000Z",
      updatedAt: "2026-12-06T07:34:00.000Z",
      recoveries: 0,
      payload: {
        format: "kubestash",
        operationId: "5b0e2a47-3d71-4c1b-8a51-0c0b6f1f2e9a",
        sessionName: "nightly-2026-12-06",
        finalAttempt: true,
        settings: { defaultHookTimeout: "10m" },
        step: { status: "succeeded" },
        units: Array.from({ length: 1000 }, (_, i) => unit(i)),
      },
    };
    const json = Buffer.byteLength(JSON.stringify(envelope));
    const encoded = encodeRecord(envelope);
    // Plain, this record would be refused (the limit the scale bench reached).
    expect(json).toBeGreaterThan(MAX_RECORD_BYTES);
    expect(encoded.binaryData[SESSION_GZIP_KEY]).toEqual(expect.any(String));
    expect(encoded.bytes).toBeLessThan(MAX_RECORD_BYTES / 8);
    // As the ledger stores it: its units in gzipped parts, each compressed on its own.
    const parts = new RecordParts("units").encode(envelope, true).encoded;
    expect(Object.keys(parts.binaryData).filter((k) => k.startsWith("session.part-"))).toHaveLength(
      Math.ceil(1000 / PART_ITEMS),
    );
    expect(parts.bytes).toBeLessThan(MAX_RECORD_BYTES / 8);
  });
});
