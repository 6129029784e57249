/**
 * What the local snapshot controllers share: the snapshot resource types, the finalizer and
 * annotation names of external-snapshotter (pkg/utils/util.go), and typed views of the objects.
 */
import type { ObjectStore, ResourceType, StoredObject } from "../api/seams.js";
import { field } from "../controllers/util.js";
import { SNAPSHOT_GROUP, SNAPSHOT_VERSION } from "./crds.js";

export const CONTENT_FINALIZER = "snapshot.storage.kubernetes.io/volumesnapshotcontent-bound-protection";
export const BOUND_FINALIZER = "snapshot.storage.kubernetes.io/volumesnapshot-bound-protection";
export const AS_SOURCE_FINALIZER = "snapshot.storage.kubernetes.io/volumesnapshot-as-source-protection";
export const PVC_FINALIZER = "snapshot.storage.kubernetes.io/pvc-as-source-protection";
export const DEFAULT_CLASS_ANNOTATION = "snapshot.storage.kubernetes.io/is-default-class";
export const BEING_DELETED_ANNOTATION = "snapshot.storage.kubernetes.io/volumesnapshot-being-deleted";
export const BEING_CREATED_ANNOTATION = "snapshot.storage.kubernetes.io/volumesnapshot-being-created";

/** The snapshot resource types, as the CRDs registered them. */
export interface SnapshotTypes {
  snapshots: ResourceType;
  contents: ResourceType;
  classes: ResourceType;
}

/** The snapshot types the store serves, or undefined when the CRDs are not installed. */
export function snapshotTypes(store: ObjectStore): SnapshotTypes | undefined {
  const snapshots = store.typeFor(SNAPSHOT_GROUP, SNAPSHOT_VERSION, "volumesnapshots");
  const contents = store.typeFor(SNAPSHOT_GROUP, SNAPSHOT_VERSION, "volumesnapshotcontents");
  const classes = store.typeFor(SNAPSHOT_GROUP, SNAPSHOT_VERSION, "volumesnapshotclasses");
  return snapshots && contents && classes ? { snapshots, contents, classes } : undefined;
}

/** A VolumeSnapshotError. */
export interface SnapshotError {
  time?: string;
  message?: string;
}

/** VolumeSnapshot status fields. */
export interface SnapshotStatus {
  boundVolumeSnapshotContentName?: string;
  creationTime?: string;
  readyToUse?: boolean;
  restoreSize?: string;
  error?: SnapshotError;
}

/** VolumeSnapshotContent status fields (creationTime in nanoseconds, restoreSize in bytes). */
export interface ContentStatus {
  snapshotHandle?: string;
  creationTime?: number;
  restoreSize?: number;
  readyToUse?: boolean;
  error?: SnapshotError;
}

/** spec.volumeSnapshotRef of a content. */
export interface SnapshotRef {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
}

export const sourcePvc = (s: StoredObject) => field<string>(s, "spec", "source", "persistentVolumeClaimName");
export const sourceContent = (s: StoredObject) =>
  field<string>(s, "spec", "source", "volumeSnapshotContentName");
export const className = (o: StoredObject) => field<string>(o, "spec", "volumeSnapshotClassName");
export const snapshotStatus = (s: StoredObject) => field<SnapshotStatus>(s, "status");
export const contentStatus = (c: StoredObject) => field<ContentStatus>(c, "status");
export const contentRef = (c: StoredObject) => field<SnapshotRef>(c, "spec", "volumeSnapshotRef") ?? {};
export const volumeHandle = (c: StoredObject) => field<string>(c, "spec", "source", "volumeHandle");
export const staticHandle = (c: StoredObject) => field<string>(c, "spec", "source", "snapshotHandle");
export const deletionPolicy = (c: StoredObject) => field<string>(c, "spec", "deletionPolicy");
export const driverOf = (c: StoredObject) => field<string>(c, "spec", "driver");

/** `namespace/name` of a snapshot. */
export const snapshotKey = (s: StoredObject) => `${s.metadata.namespace}/${s.metadata.name}`;

/** utils.GetDynamicSnapshotContentNameForSnapshot. */
export const dynamicContentName = (s: StoredObject) => `snapcontent-${s.metadata.uid}`;

export const hasFinalizer = (o: StoredObject, f: string) => (o.metadata.finalizers ?? []).includes(f);
export const hasAnnotation = (o: StoredObject, a: string) => o.metadata.annotations?.[a] !== undefined;

/** utils.IsSnapshotReady. */
export const isSnapshotReady = (s: StoredObject) => snapshotStatus(s)?.readyToUse === true;

/** utils.IsBoundVolumeSnapshotContentNameSet. */
export const isBoundNameSet = (s: StoredObject) => !!snapshotStatus(s)?.boundVolumeSnapshotContentName;

/** utils.IsVolumeSnapshotRefSet: the content points back at this very snapshot. */
export function pointsBack(snapshot: StoredObject, content: StoredObject): boolean {
  const ref = contentRef(content);
  return (
    ref.name === snapshot.metadata.name &&
    ref.namespace === snapshot.metadata.namespace &&
    ref.uid === snapshot.metadata.uid
  );
}

/** utils.IsSnapshotDeletionCandidate. */
export function isDeletionCandidate(s: StoredObject): boolean {
  return (
    !!s.metadata.deletionTimestamp &&
    (hasFinalizer(s, AS_SOURCE_FINALIZER) || hasFinalizer(s, BOUND_FINALIZER))
  );
}

/** Go's `%q` of a string (strconv.Quote) for the messages the controllers build. */
export function goQuote(text: string): string {
  return JSON.stringify(text).replace(/\\u00([0-9a-f]{2})/g, "\\x$1");
}

/** A Kubernetes Time (RFC 3339, seconds) for a point in time. */
export function kubeTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}
