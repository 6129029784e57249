/**
 * Another host taking a session's Lease from a holder that still renews it: what a test does to
 * show the holder finding out that its session was taken over.
 */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { type Cluster, HeldLease, LEASES, observeLease } from "@quiesce/kube";

/**
 * Takes the Lease `namespace/name` for `identity` at once, expired or not, the way a candidate
 * takes one (an update carrying the resourceVersion it read, see `HeldLease.takeOver`). A holder
 * that renews often can renew between the read and the update — a 409 Conflict — so the Lease is
 * read again and the update repeated, as client-go's leader election does on its next try. The
 * returned Lease is not renewed.
 *
 * @example
 * ```ts
 * const taken = await takeLeaseOver(lc.cluster, { namespace: "db", name: record.name, identity: "rescuer" });
 * taken.transitions; // the holder's leaseTransitions + 1
 * ```
 */
export async function takeLeaseOver(
  cluster: Cluster,
  lease: { namespace: string; name: string; identity: string; durationSeconds?: number },
): Promise<HeldLease> {
  const { namespace, name, identity } = lease;
  for (let tries = 0; tries < 50; tries++) {
    const current = await cluster.get({ ...LEASES, namespace, name });
    const taken = await HeldLease.takeOver(
      { cluster, namespace, name, identity, durationSeconds: lease.durationSeconds ?? 30 },
      observeLease(current),
    );
    if (taken) return taken;
  }
  throw new QuiesceError(
    ErrorCodes.KUBE_CONFLICT,
    `Lease ${namespace}/${name} changed under each of 50 takeovers`,
    { details: { namespace, name, identity } },
  );
}
