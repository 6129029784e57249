/**
 * The local cluster's CSI driver: the storage side of snapshots. CreateSnapshot takes a
 * point-in-time copy of a claim's data through the runtime, ListSnapshots reports readiness,
 * DeleteSnapshot drops the copy, and a volume created from a snapshot starts with that copy. Calls
 * fail or stall as scripted faults say, with the gRPC errors a real driver returns.
 */
import { randomUUID } from "node:crypto";
import { QuiesceError } from "@quiesce/core";
import type { FaultHandle } from "../faults/faults.js";
import type { VolumeSnapshots } from "../runtime/types.js";

/** gRPC status codes a CSI call can fail with. */
export type GrpcCode =
  | "Canceled"
  | "Unknown"
  | "InvalidArgument"
  | "DeadlineExceeded"
  | "NotFound"
  | "AlreadyExists"
  | "PermissionDenied"
  | "ResourceExhausted"
  | "FailedPrecondition"
  | "Aborted"
  | "OutOfRange"
  | "Unimplemented"
  | "Internal"
  | "Unavailable"
  | "DataLoss"
  | "Unauthenticated";

/** The CSI calls faults can target. */
export type CsiCall = "CreateSnapshot" | "DeleteSnapshot" | "ListSnapshots";

/** A scripted CSI failure, or a snapshot that never becomes ready. */
export interface CsiFaultRule {
  /** The call it applies to (default "CreateSnapshot"). */
  call?: CsiCall;
  /** Only snapshots of claims in this namespace (CreateSnapshot). */
  namespace?: string;
  /** Only snapshots of this claim (CreateSnapshot). */
  pvc?: string;
  /** Only this snapshot handle (DeleteSnapshot, ListSnapshots). */
  handle?: string;
  /** The call fails with this gRPC code (default "Internal") … */
  code?: GrpcCode;
  /** … and this description: `rpc error: code = <code> desc = <message>`. */
  message?: string;
  /**
   * Instead of failing, CreateSnapshot cuts the snapshot but reports it not ready to use for as long
   * as the fault is in place (an upload that never finishes); removing the fault lets it become ready.
   */
  neverReady?: boolean;
  /** How many calls (with `neverReady`: how many snapshots) it affects (default 1; `Infinity` for all). */
  times?: number;
}

/** A physical snapshot the driver holds. */
export interface CsiSnapshotInfo {
  handle: string;
  /** The CSI name the snapshotter asked for (`snapshot-<VolumeSnapshot uid>`). */
  name: string;
  /** The volume it was taken from and that volume's claim. */
  sourceVolume: string;
  namespace: string;
  claim: string;
  sizeBytes: number;
  /** When it was cut (ms since the epoch). */
  createdAt: number;
  readyToUse: boolean;
}

/** The local CSI driver as tests see it (`lc.csi`). */
export interface LocalCsiDriver {
  /** The driver name (VolumeSnapshotClass `driver`; the local cluster's claims are all its volumes). */
  readonly name: string;
  /** The physical snapshots it holds. */
  snapshots(): CsiSnapshotInfo[];
  /**
   * Scripts a fault. Each matching call consumes one of its `times`.
   *
   * @example
   * ```ts
   * lc.csi.addFault({ pvc: "data-db-0", code: "ResourceExhausted", message: "snapshot quota exceeded" });
   * lc.csi.addFault({ pvc: "data-db-0", neverReady: true, times: Infinity });
   * ```
   */
  addFault(rule: CsiFaultRule): FaultHandle;
}

/** A failed CSI call as the sidecar sees it: a gRPC status error. */
export class CsiRpcError extends QuiesceError {
  override name = "CsiRpcError";
  constructor(
    readonly grpcCode: GrpcCode,
    description: string,
  ) {
    super("QUIESCE_CSI_RPC", `rpc error: code = ${grpcCode} desc = ${description}`, {
      details: { grpcCode, description },
    });
  }

  /** external-snapshotter's isCSIFinalError: codes that mean the call may still be in progress are not final. */
  get final(): boolean {
    return !["Canceled", "DeadlineExceeded", "Unavailable", "ResourceExhausted", "Aborted"].includes(
      this.grpcCode,
    );
  }
}

interface RuleState {
  rule: CsiFaultRule;
  remaining: number;
  hits: number;
  removed: boolean;
}

interface Held extends CsiSnapshotInfo {
  heldBy?: RuleState;
}

/** Where a volume's data lives: its claim and size. */
export interface VolumeSource {
  namespace: string;
  claim: string;
  sizeBytes: number;
}

/** The driver with the calls the local sidecar and provisioner make. */
export interface CsiDriverCalls extends LocalCsiDriver {
  createSnapshot(name: string, volume: string): Promise<CsiSnapshotInfo>;
  listSnapshot(handle: string): CsiSnapshotInfo | undefined;
  deleteSnapshot(handle: string): Promise<void>;
  restoreVolume(handle: string, namespace: string, claim: string): Promise<void>;
}

/** Creates the driver; `volumes` finds a volume's claim, `data` (the runtime's) copies the bytes. */
export function createCsiDriver(
  name: string,
  volumes: (volumeHandle: string) => VolumeSource | undefined,
  data: VolumeSnapshots | undefined,
): CsiDriverCalls {
  const rules: RuleState[] = [];
  const byHandle = new Map<string, Held>();
  const creating = new Map<string, Promise<Held>>();

  const take = (call: CsiCall, match: (r: CsiFaultRule) => boolean, neverReady: boolean) => {
    for (const state of rules) {
      const { rule } = state;
      if (state.removed || state.remaining <= 0 || (rule.call ?? "CreateSnapshot") !== call) continue;
      if (!!rule.neverReady !== neverReady || !match(rule)) continue;
      state.remaining--;
      state.hits++;
      return state;
    }
    return undefined;
  };
  const fail = (call: CsiCall, match: (r: CsiFaultRule) => boolean) => {
    const hit = take(call, match, false);
    if (hit) throw new CsiRpcError(hit.rule.code ?? "Internal", hit.rule.message ?? `${call} failed`);
  };
  const view = (s: Held): CsiSnapshotInfo => {
    const { heldBy, ...info } = s;
    return { ...info, readyToUse: !heldBy || heldBy.removed };
  };

  const cut = async (snapshotName: string, volume: string): Promise<Held> => {
    const source = volumes(volume);
    if (!source) throw new CsiRpcError("NotFound", `source volume ${volume} not found`);
    const forClaim = (r: CsiFaultRule) =>
      (r.namespace === undefined || r.namespace === source.namespace) &&
      (r.pvc === undefined || r.pvc === source.claim);
    fail("CreateSnapshot", forClaim);
    const handle = randomUUID();
    await data?.snapshotClaim(source.namespace, source.claim, handle);
    const held: Held = {
      handle,
      name: snapshotName,
      sourceVolume: volume,
      namespace: source.namespace,
      claim: source.claim,
      sizeBytes: source.sizeBytes,
      createdAt: Date.now(),
      readyToUse: true,
    };
    const hold = take("CreateSnapshot", forClaim, true);
    if (hold) held.heldBy = hold;
    byHandle.set(handle, held);
    return held;
  };

  return {
    name,
    snapshots: () => [...byHandle.values()].map(view),
    addFault(rule) {
      const state: RuleState = { rule, remaining: rule.times ?? 1, hits: 0, removed: false };
      rules.push(state);
      return {
        get hits() {
          return state.hits;
        },
        remove() {
          state.removed = true;
        },
      };
    },
    async createSnapshot(snapshotName, volume) {
      // CSI CreateSnapshot is idempotent by name: a retry returns the snapshot already cut.
      const existing = [...byHandle.values()].find((s) => s.name === snapshotName);
      if (existing) {
        if (existing.sourceVolume !== volume) {
          throw new CsiRpcError(
            "AlreadyExists",
            `snapshot with the same name: ${snapshotName} but with different SourceVolumeId already exist`,
          );
        }
        return view(existing);
      }
      let pending = creating.get(snapshotName);
      if (!pending) {
        pending = cut(snapshotName, volume).finally(() => creating.delete(snapshotName));
        creating.set(snapshotName, pending);
      }
      return view(await pending);
    },
    listSnapshot(handle) {
      fail("ListSnapshots", (r) => r.handle === undefined || r.handle === handle);
      const held = byHandle.get(handle);
      return held && view(held);
    },
    async deleteSnapshot(handle) {
      fail("DeleteSnapshot", (r) => r.handle === undefined || r.handle === handle);
      byHandle.delete(handle);
      await data?.deleteSnapshot(handle);
    },
    async restoreVolume(handle, namespace, claim) {
      if (!byHandle.has(handle)) throw new CsiRpcError("NotFound", `cannot find snapshot ${handle}`);
      await data?.restoreClaim(handle, namespace, claim);
    },
  };
}
