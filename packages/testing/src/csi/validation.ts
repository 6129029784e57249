/**
 * The API server's checks of snapshot objects written by clients: the required fields, enums and
 * CEL rules (`x-kubernetes-validations`) of external-snapshotter's client/config/crd manifests,
 * with the messages its client/hack/cel-tests expect.
 */
import type { ResourceType, StoredObject } from "../api/seams.js";
import { field } from "../controllers/util.js";
import { SNAPSHOT_GROUP } from "./crds.js";

type Cause = { field: string; message: string; reason?: string };

const required = (path: string): Cause => ({
  field: path,
  message: "Required value",
  reason: "FieldValueRequired",
});
const rule = (path: string, type: "object" | "string", message: string): Cause => ({
  field: path,
  message: `Invalid value: "${type}": ${message}`,
  reason: "FieldValueInvalid",
});

function deletionPolicy(value: unknown, path: string, causes: Cause[]): void {
  if (value === undefined) causes.push(required(path));
  else if (value !== "Delete" && value !== "Retain") {
    causes.push({
      field: path,
      message: `Unsupported value: ${JSON.stringify(value)}: supported values: "Delete", "Retain"`,
      reason: "FieldValueNotSupported",
    });
  }
}

/** `self == oldSelf` on a field, and `!has(oldSelf.f) || has(self.f)` on its parent. */
function immutable(
  next: Record<string, unknown> | undefined,
  old: Record<string, unknown> | undefined,
  key: string,
  path: string,
  causes: Cause[],
): void {
  if (!old || old[key] === undefined) return;
  if (next?.[key] === undefined) causes.push(rule(path, "object", `${key} is required once set`));
  else if (next[key] !== old[key]) causes.push(rule(`${path}.${key}`, "string", `${key} is immutable`));
}

function volumeSnapshotCauses(object: StoredObject, old: StoredObject | undefined, causes: Cause[]): void {
  const spec = field<Record<string, unknown>>(object, "spec");
  if (!spec) {
    causes.push(required("spec"));
    return;
  }
  const source = field<Record<string, unknown>>(spec, "source");
  if (!source) causes.push(required("spec.source"));
  else {
    const pvc = source.persistentVolumeClaimName !== undefined;
    const content = source.volumeSnapshotContentName !== undefined;
    if (pvc === content) {
      causes.push(
        rule(
          "spec.source",
          "object",
          "exactly one of volumeSnapshotContentName and persistentVolumeClaimName must be set",
        ),
      );
    }
    const oldSource = old && field<Record<string, unknown>>(old, "spec", "source");
    immutable(source, oldSource, "persistentVolumeClaimName", "spec.source", causes);
    immutable(source, oldSource, "volumeSnapshotContentName", "spec.source", causes);
  }
  if (spec.volumeSnapshotClassName === "") {
    causes.push(
      rule(
        "spec.volumeSnapshotClassName",
        "string",
        "volumeSnapshotClassName must not be the empty string when set",
      ),
    );
  }
}

function contentCauses(object: StoredObject, old: StoredObject | undefined, causes: Cause[]): void {
  const spec = field<Record<string, unknown>>(object, "spec");
  if (!spec) {
    causes.push(required("spec"));
    return;
  }
  deletionPolicy(spec.deletionPolicy, "spec.deletionPolicy", causes);
  if (spec.driver === undefined) causes.push(required("spec.driver"));
  const source = field<Record<string, unknown>>(spec, "source");
  if (!source) causes.push(required("spec.source"));
  else {
    if ((source.volumeHandle !== undefined) === (source.snapshotHandle !== undefined)) {
      causes.push(
        rule("spec.source", "object", "exactly one of volumeHandle and snapshotHandle must be set"),
      );
    }
    const oldSource = old && field<Record<string, unknown>>(old, "spec", "source");
    immutable(source, oldSource, "volumeHandle", "spec.source", causes);
    immutable(source, oldSource, "snapshotHandle", "spec.source", causes);
  }
  const ref = field<Record<string, unknown>>(spec, "volumeSnapshotRef");
  if (!ref) causes.push(required("spec.volumeSnapshotRef"));
  else if (ref.name === undefined || ref.namespace === undefined) {
    causes.push(
      rule(
        "spec.volumeSnapshotRef",
        "object",
        "both spec.volumeSnapshotRef.name and spec.volumeSnapshotRef.namespace must be set",
      ),
    );
  }
  immutable(spec, old && field<Record<string, unknown>>(old, "spec"), "sourceVolumeMode", "spec", causes);
}

/** Why a client's write of a snapshot object is invalid (empty when it is not, or not a snapshot type). */
export function snapshotSpecCauses(
  type: ResourceType,
  object: StoredObject,
  old: StoredObject | undefined,
): Cause[] {
  if (type.group !== SNAPSHOT_GROUP) return [];
  const causes: Cause[] = [];
  if (type.kind === "VolumeSnapshot") volumeSnapshotCauses(object, old, causes);
  else if (type.kind === "VolumeSnapshotContent") contentCauses(object, old, causes);
  else if (type.kind === "VolumeSnapshotClass") {
    deletionPolicy(object.deletionPolicy, "deletionPolicy", causes);
    if (object.driver === undefined) causes.push(required("driver"));
  }
  return causes;
}
