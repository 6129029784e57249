/**
 * What Kanister's CSI functions share (Kanister pkg/kube/snapshot/snapshot_stable.go, snapshot.go):
 * the snapshot.storage.k8s.io/v1 resources — the only API version Kanister's snapshotter speaks —
 * one clear error when a cluster does not serve them, and the wait for a VolumeSnapshot to be
 * ready to use that fails as soon as the snapshot controller reports an error.
 */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { canonicalQuantity, type KubeObject, type ResourceRef } from "@quiesce/kube";
import type { FunctionContext } from "../../define-function.js";

export const SNAPSHOT_GROUP = "snapshot.storage.k8s.io";
export const SNAPSHOT_API_VERSION = `${SNAPSHOT_GROUP}/v1`;
export const VOLUME_SNAPSHOTS: ResourceRef = {
  group: SNAPSHOT_GROUP,
  version: "v1",
  resource: "volumesnapshots",
};
export const VOLUME_SNAPSHOT_CONTENTS: ResourceRef = {
  group: SNAPSHOT_GROUP,
  version: "v1",
  resource: "volumesnapshotcontents",
};
export const VOLUME_SNAPSHOT_CLASSES: ResourceRef = {
  group: SNAPSHOT_GROUP,
  version: "v1",
  resource: "volumesnapshotclasses",
};

/** The code of the error a CSI function fails with where the cluster lacks the snapshot API. */
export const SNAPSHOT_API_MISSING = "QUIESCE_CSI_SNAPSHOT_API_MISSING";
/** The code of a snapshot the snapshot controller reported an error for (`status.error`). */
export const SNAPSHOT_FAILED = "QUIESCE_CSI_SNAPSHOT_FAILED";

/**
 * Checks (through discovery, cached per connection) that the cluster serves the snapshot kinds a
 * function uses; otherwise fails with {@link SNAPSHOT_API_MISSING} before anything is written.
 */
export async function requireSnapshotApi(
  ctx: FunctionContext,
  fn: string,
  kinds: readonly string[],
): Promise<void> {
  for (const kind of kinds) {
    try {
      await ctx.cluster.resolveResource(SNAPSHOT_API_VERSION, kind, { signal: ctx.signal });
    } catch (err) {
      if (!QuiesceError.is(err, ErrorCodes.KUBE_NOT_FOUND)) throw err;
      throw new QuiesceError(
        SNAPSHOT_API_MISSING,
        `${fn}: the cluster does not serve ${kind} in ${SNAPSHOT_API_VERSION}: install the CSI snapshot CRDs and a snapshot controller (kubernetes-csi/external-snapshotter)`,
        { cause: err, details: { apiVersion: SNAPSHOT_API_VERSION, kind } },
      );
    }
  }
}

// Kanister snapshot.go transientErrorRegexp: errors in status.error that are waited out.
const TRANSIENT =
  /the object has been modified; please apply your changes to the latest version and try again|VolumeSnapshotContent is missing|SnapshotFinalizerError/;
// Kanister snapshot.go waitOnReadyToUse: poll.WaitWithRetries(ctx, 100, isTransientError, …).
const TRANSIENT_RETRIES = 100;

interface VolumeSnapshotStatus {
  readyToUse?: boolean;
  creationTime?: string;
  restoreSize?: string;
  boundVolumeSnapshotContentName?: string;
  error?: { message?: string; time?: string };
}

/** The status of a VolumeSnapshot as the API serves it. */
export const statusOf = (o: KubeObject | undefined): VolumeSnapshotStatus =>
  (o?.status ?? {}) as VolumeSnapshotStatus;

/**
 * Kanister's WaitOnReadyToUse, watch-driven: resolves with the VolumeSnapshot once `readyToUse` is
 * true and `creationTime` is set; rejects with {@link SNAPSHOT_FAILED} as soon as `status.error`
 * holds a non-transient message (transient ones are waited out up to 100 times), with
 * `QUIESCE_KUBE_NOT_FOUND` if the snapshot disappears, and with `QUIESCE_TIMEOUT` (carrying the
 * last status seen) when the phase's time runs out.
 */
export async function waitForReadyToUse(
  ctx: FunctionContext,
  namespace: string,
  name: string,
): Promise<KubeObject> {
  let transient = 0;
  let last: KubeObject | undefined;
  const ref = { ...VOLUME_SNAPSHOTS, namespace, name };
  try {
    const ready = await ctx.cluster.waitFor(
      ref,
      (snapshot) => {
        if (!snapshot) {
          throw new QuiesceError(
            ErrorCodes.KUBE_NOT_FOUND,
            `volumesnapshots.${SNAPSHOT_GROUP} "${name}" not found`,
            {
              details: { namespace, name },
            },
          );
        }
        last = snapshot;
        const status = statusOf(snapshot);
        if (status.error) {
          const message = status.error.message ?? "";
          if (TRANSIENT.test(message) && transient < TRANSIENT_RETRIES) {
            transient++;
            return false;
          }
          throw new QuiesceError(SNAPSHOT_FAILED, message, {
            details: { namespace, name, status: snapshot.status },
          });
        }
        return status.readyToUse === true && status.creationTime !== undefined;
      },
      { signal: ctx.signal, timeoutMs: ctx.timeoutMs },
    );
    return ready!;
  } catch (err) {
    if (!QuiesceError.is(err, ErrorCodes.TIMEOUT)) throw err;
    const status = statusOf(last);
    throw new QuiesceError(
      ErrorCodes.TIMEOUT,
      `VolumeSnapshot ${namespace}/${name} was not ready to use in time (readyToUse: ${String(status.readyToUse ?? "unset")}, bound to: ${status.boundVolumeSnapshotContentName ?? "none"})`,
      { cause: err, details: { namespace, name, status: last?.status } },
    );
  }
}

/** The outputs every create function gives: Kanister prints the status' Quantity and content name. */
export function snapshotOutputs(snapshot: KubeObject): { restoreSize: string; snapshotContent: string } {
  const status = statusOf(snapshot);
  return {
    // resource.Quantity.String() of a nil *Quantity is "<nil>"; otherwise Go's canonical form.
    restoreSize: status.restoreSize === undefined ? "<nil>" : canonicalQuantity(status.restoreSize),
    snapshotContent: status.boundVolumeSnapshotContentName ?? "",
  };
}

// k8s.io/apimachinery/pkg/util/rand: the alphabet of rand.String (no vowels, no confusable digits).
const RAND_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** Kanister create_csi_snapshot.go defaultSnapshotName: `<pvc>-snapshot-<5 random characters>`. */
export function defaultSnapshotName(pvc: string, length = 5): string {
  let suffix = "";
  for (let i = 0; i < length; i++) suffix += RAND_ALPHABET[Math.floor(Math.random() * RAND_ALPHABET.length)];
  return `${pvc}-snapshot-${suffix}`;
}

/** errkit.Wrap: the message, then the cause's; the code of the cause when it has one. */
export function wrap(err: unknown, message: string, details: Record<string, unknown>): QuiesceError {
  const code = err instanceof QuiesceError ? err.code : ErrorCodes.KUBE_API;
  const why = err instanceof Error ? err.message : String(err);
  return new QuiesceError(code, `${message}: ${why}`, { cause: err, details });
}
