/** CustomResourceDefinition handling: the resource types a CRD serves and the status the API server reports. */
import { ApiStatusError } from "../api/errors.js";
import type { ResourceType, StoredObject } from "../api/seams.js";

interface CrdVersion {
  name?: string;
  served?: boolean;
  storage?: boolean;
  subresources?: { status?: unknown; scale?: unknown };
}

interface CrdSpec {
  group?: string;
  scope?: string;
  names?: { plural?: string; singular?: string; kind?: string; listKind?: string; shortNames?: string[] };
  versions?: CrdVersion[];
}

/** Validates a CRD and returns the resource types it serves (one per served version). */
export function crdTypes(crd: { metadata: { name?: string }; spec?: unknown }): ResourceType[] {
  const spec = (crd.spec ?? {}) as CrdSpec;
  const name = crd.metadata.name ?? "";
  const causes: { field: string; message: string; reason?: string }[] = [];
  if (!spec.group)
    causes.push({ field: "spec.group", message: "Required value", reason: "FieldValueRequired" });
  if (!spec.names?.plural)
    causes.push({ field: "spec.names.plural", message: "Required value", reason: "FieldValueRequired" });
  if (!spec.names?.kind)
    causes.push({ field: "spec.names.kind", message: "Required value", reason: "FieldValueRequired" });
  if (spec.scope !== "Namespaced" && spec.scope !== "Cluster") {
    causes.push({
      field: "spec.scope",
      message: `Unsupported value: "${String(spec.scope)}": supported values: "Cluster", "Namespaced"`,
      reason: "FieldValueNotSupported",
    });
  }
  if (!Array.isArray(spec.versions) || spec.versions.length === 0) {
    causes.push({
      field: "spec.versions",
      message: "Invalid value: must have exactly one version marked as storage version",
      reason: "FieldValueInvalid",
    });
  }
  if (spec.group && spec.names?.plural && name !== `${spec.names.plural}.${spec.group}`) {
    causes.push({
      field: "metadata.name",
      message: `Invalid value: "${name}": must be spec.names.plural+"."+spec.group`,
    });
  }
  if (causes.length > 0)
    throw ApiStatusError.invalid("CustomResourceDefinition", "apiextensions.k8s.io", name, causes);
  return (spec.versions ?? [])
    .filter((v) => v.served !== false && typeof v.name === "string")
    .map((v) => ({
      group: spec.group!,
      version: v.name!,
      resource: spec.names!.plural!,
      kind: spec.names!.kind!,
      namespaced: spec.scope === "Namespaced",
      subresources: [
        ...(v.subresources?.status ? ["status"] : []),
        ...(v.subresources?.scale ? ["scale"] : []),
      ],
      ...(spec.names?.shortNames ? { shortNames: spec.names.shortNames } : {}),
    }));
}

/** The status a CRD reports once its names are accepted and it is established. */
export function crdStatus(crd: StoredObject, now: string): Record<string, unknown> {
  const spec = (crd.spec ?? {}) as CrdSpec;
  const names = spec.names ?? {};
  return {
    acceptedNames: {
      plural: names.plural,
      singular: names.singular ?? names.kind?.toLowerCase(),
      kind: names.kind,
      listKind: names.listKind ?? `${names.kind}List`,
      ...(names.shortNames ? { shortNames: names.shortNames } : {}),
    },
    conditions: [
      {
        type: "NamesAccepted",
        status: "True",
        lastTransitionTime: now,
        reason: "NoConflicts",
        message: "no conflicts found",
      },
      {
        type: "Established",
        status: "True",
        lastTransitionTime: now,
        reason: "InitialNamesAccepted",
        message: "the initial names have been accepted",
      },
    ],
    storedVersions: (spec.versions ?? []).filter((v) => v.storage).map((v) => v.name),
  };
}
