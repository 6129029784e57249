/** Kubernetes field selectors (`metadata.name=x,status.phase!=Running`) over the fields the API server indexes. */
import { ApiStatusError } from "../api/errors.js";

/** One field requirement. */
export interface FieldRequirement {
  field: string;
  op: "=" | "!=";
  value: string;
}

/** Fields every resource supports. */
const COMMON_FIELDS = ["metadata.name", "metadata.namespace"];

/** Extra selectable fields per kind, as the real API server registers them. */
const KIND_FIELDS: Record<string, string[]> = {
  Pod: [
    "status.phase",
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.serviceAccountName",
    "status.podIP",
    "status.nominatedNodeName",
  ],
  Event: [
    "involvedObject.kind",
    "involvedObject.namespace",
    "involvedObject.name",
    "involvedObject.uid",
    "involvedObject.apiVersion",
    "involvedObject.resourceVersion",
    "involvedObject.fieldPath",
    "reason",
    "reportingComponent",
    "source",
    "type",
  ],
  Secret: ["type"],
  Namespace: ["status.phase"],
  Job: ["status.successful"],
  ReplicaSet: ["status.replicas"],
  Node: ["spec.unschedulable"],
};

/**
 * Parses a field selector. Throws 400 BadRequest on bad syntax or on a field the kind does not
 * support (`field label not supported: x`), as the API server does. `kind` limits the fields;
 * omit it to accept the common and pod fields.
 *
 * @example
 * ```ts
 * const sel = parseFieldSelector("status.phase=Running,metadata.name!=web-0", "Pod");
 * ```
 */
export function parseFieldSelector(selector: string | undefined, kind?: string): FieldRequirement[] {
  if (selector === undefined || selector.trim() === "") return [];
  const allowed = new Set([...COMMON_FIELDS, ...(KIND_FIELDS[kind ?? "Pod"] ?? [])]);
  return selector.split(",").map((raw) => {
    const term = raw.trim();
    const m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m)
      throw ApiStatusError.badRequest(`invalid field selector: '${term}' is not a valid field selector term`);
    const field = m[1]!;
    if (!allowed.has(field)) throw ApiStatusError.badRequest(`field label not supported: ${field}`);
    return { field, op: m[2] === "!=" ? "!=" : "=", value: m[3]!.trim() };
  });
}

function fieldValue(object: Record<string, unknown>, path: string): string {
  let current: unknown = object;
  for (const part of path.split(".")) {
    if (current === null || typeof current !== "object") return "";
    current = (current as Record<string, unknown>)[part];
  }
  if (current === undefined || current === null) return "";
  return typeof current === "string" ? current : String(current);
}

/** True when `object` satisfies every requirement (missing fields compare as ""). */
export function matchesFieldSelector(selector: FieldRequirement[], object: Record<string, unknown>): boolean {
  return selector.every((r) => {
    const v = fieldValue(object, r.field);
    return r.op === "=" ? v === r.value : v !== r.value;
  });
}
