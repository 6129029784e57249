import { CoordinationV1Api } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startHarness } from "./test-support/harness.js";

let h: Awaited<ReturnType<typeof startHarness>>;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const MERGE = "application/merge-patch+json";
const LEASES = "/apis/coordination.k8s.io/v1/namespaces/default/leases";

function lease(spec: Record<string, unknown>) {
  return { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "holder" }, spec };
}

describe("coordination.k8s.io/v1 Leases", () => {
  it("are discovered and served to client-node's typed client, MicroTimes kept as sent", async () => {
    const groups = await h.api("GET", "/apis");
    expect((groups.body.groups as { name: string }[]).map((g) => g.name)).toContain("coordination.k8s.io");
    const resources = await h.api("GET", "/apis/coordination.k8s.io/v1");
    expect(resources.body.resources).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: "leases", kind: "Lease", namespaced: true })]),
    );
    const api = h.kc.makeApiClient(CoordinationV1Api);
    const renewTime = new Date("2026-01-02T03:04:05.123Z");
    await api.createNamespacedLease({
      namespace: "default",
      body: {
        metadata: { name: "holder" },
        spec: { holderIdentity: "host-a", leaseDurationSeconds: 15, renewTime, leaseTransitions: 0 },
      },
    });
    const got = await h.api("GET", `${LEASES}/holder`);
    expect(got.body.spec).toEqual({
      holderIdentity: "host-a",
      leaseDurationSeconds: 15,
      renewTime: "2026-01-02T03:04:05.123000Z",
      leaseTransitions: 0,
    });
  });

  it("refuse a stale resourceVersion, as leader election relies on (409), in a PUT and in a merge patch", async () => {
    const created = await h.api(
      "POST",
      LEASES,
      lease({ holderIdentity: "host-a", leaseDurationSeconds: 15 }),
    );
    const rv = (created.body.metadata as { resourceVersion: string }).resourceVersion;
    const first = await h.api(
      "PATCH",
      `${LEASES}/holder`,
      {
        metadata: { resourceVersion: rv },
        spec: { holderIdentity: "host-b", leaseTransitions: 1 },
      },
      MERGE,
    );
    expect(first.status).toBe(200);
    const second = await h.api(
      "PATCH",
      `${LEASES}/holder`,
      {
        metadata: { resourceVersion: rv },
        spec: { holderIdentity: "host-c", leaseTransitions: 1 },
      },
      MERGE,
    );
    expect(second.status).toBe(409);
    const put = await h.api("PUT", `${LEASES}/holder`, {
      ...lease({ holderIdentity: "host-c" }),
      metadata: { name: "holder", resourceVersion: rv },
    });
    expect(put.status).toBe(409);
    const now = await h.api("GET", `${LEASES}/holder`);
    expect((now.body.spec as { holderIdentity: string }).holderIdentity).toBe("host-b");
  });

  it("validate the duration and the transitions as the API server does (422)", async () => {
    const bad = await h.api("POST", LEASES, lease({ leaseDurationSeconds: 0, leaseTransitions: -1 }));
    expect(bad.status).toBe(422);
    const causes = (bad.body.details as { causes: { field: string; message: string }[] }).causes;
    expect(causes).toEqual([
      {
        field: "spec.leaseDurationSeconds",
        message: "Invalid value: 0: must be greater than 0",
        reason: "FieldValueInvalid",
      },
      {
        field: "spec.leaseTransitions",
        message: "Invalid value: -1: must be greater than or equal to 0",
        reason: "FieldValueInvalid",
      },
    ]);
  });
});
