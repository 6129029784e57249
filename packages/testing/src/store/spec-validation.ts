/**
 * The slice of the API server's type validation that clients hit in practice: pods need named
 * containers with images, apps/v1 workloads need a selector that matches their template and no
 * negative replicas, Leases
 * a positive duration, and volume snapshot objects follow their CRDs' rules.
 * Applied to writes over HTTP (controllers writing through the store are trusted).
 */
import { ApiStatusError } from "../api/errors.js";
import type { ResourceType, StoredObject } from "../api/seams.js";
import { snapshotSpecCauses } from "../csi/validation.js";
import { fromSelectorObject, matchesLabelSelector } from "../selectors/label-selector.js";

type Cause = { field: string; message: string; reason?: string };

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

interface ContainerLike {
  name?: unknown;
  image?: unknown;
}

function checkPodSpec(spec: unknown, path: string, causes: Cause[]): void {
  const s = (spec ?? {}) as { containers?: unknown; initContainers?: unknown };
  if (!Array.isArray(s.containers) || s.containers.length === 0) {
    causes.push({ field: `${path}.containers`, message: "Required value", reason: "FieldValueRequired" });
    return;
  }
  const seen = new Set<string>();
  const lists: [string, unknown][] = [
    ["containers", s.containers],
    ["initContainers", s.initContainers],
  ];
  for (const [list, value] of lists) {
    if (!Array.isArray(value)) continue;
    value.forEach((c: ContainerLike, i) => {
      const at = `${path}.${list}[${i}]`;
      if (typeof c?.name !== "string" || c.name === "") {
        causes.push({ field: `${at}.name`, message: "Required value", reason: "FieldValueRequired" });
      } else if (c.name.length > 63 || !DNS1123_LABEL.test(c.name)) {
        causes.push({
          field: `${at}.name`,
          message: `Invalid value: "${c.name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`,
        });
      } else if (seen.has(c.name)) {
        causes.push({
          field: `${at}.name`,
          message: `Duplicate value: "${c.name}"`,
          reason: "FieldValueDuplicate",
        });
      } else {
        seen.add(c.name);
      }
      if (typeof c?.image !== "string" || c.image.trim() === "") {
        causes.push({ field: `${at}.image`, message: "Required value", reason: "FieldValueRequired" });
      }
    });
  }
}

// kubernetes pkg/apis/coordination/validation/validation.go ValidateLeaseSpec (strategy and
// preferredHolder belong to coordinated leader election, which the local cluster does not run).
function checkLeaseSpec(spec: unknown, causes: Cause[]): void {
  const s = (spec ?? {}) as { leaseDurationSeconds?: unknown; leaseTransitions?: unknown };
  if (typeof s.leaseDurationSeconds === "number" && s.leaseDurationSeconds <= 0) {
    causes.push({
      field: "spec.leaseDurationSeconds",
      message: `Invalid value: ${s.leaseDurationSeconds}: must be greater than 0`,
    });
  }
  if (typeof s.leaseTransitions === "number" && s.leaseTransitions < 0) {
    causes.push({
      field: "spec.leaseTransitions",
      message: `Invalid value: ${s.leaseTransitions}: must be greater than or equal to 0`,
    });
  }
}

const WORKLOADS = new Set(["deployments", "replicasets", "statefulsets", "daemonsets"]);

/** Throws 422 Invalid when `object` fails the checks for its type (`existing`: the object it replaces). */
export function validateSpec(type: ResourceType, object: StoredObject, existing?: StoredObject): void {
  const causes: Cause[] = snapshotSpecCauses(type, object, existing);
  if (type.group === "" && type.resource === "pods") {
    checkPodSpec(object.spec, "spec", causes);
  } else if (type.group === "apps" && WORKLOADS.has(type.resource)) {
    const spec = (object.spec ?? {}) as {
      selector?: Parameters<typeof fromSelectorObject>[0];
      template?: { metadata?: { labels?: Record<string, string> }; spec?: unknown };
    };
    if (!spec.selector) {
      causes.push({ field: "spec.selector", message: "Required value", reason: "FieldValueRequired" });
    } else {
      const selector = fromSelectorObject(spec.selector);
      if (selector.length === 0) {
        causes.push({
          field: "spec.selector",
          message: "Invalid value: empty selector is invalid for deployment",
        });
      } else if (!matchesLabelSelector(selector, spec.template?.metadata?.labels)) {
        causes.push({
          field: "spec.template.metadata.labels",
          message: `Invalid value: ${JSON.stringify(spec.template?.metadata?.labels ?? {})}: \`selector\` does not match template \`labels\``,
        });
      }
    }
    checkPodSpec(spec.template?.spec, "spec.template.spec", causes);
    // kubernetes pkg/apis/apps/validation ValidateStatefulSetSpec / ValidateDeploymentSpec /
    // ValidateReplicaSetSpec: ValidateNonnegativeField(spec.replicas).
    const replicas = (object.spec as { replicas?: unknown } | undefined)?.replicas;
    if (type.resource !== "daemonsets" && typeof replicas === "number" && replicas < 0) {
      causes.push({
        field: "spec.replicas",
        message: `Invalid value: ${replicas}: must be greater than or equal to 0`,
      });
    }
  } else if (type.group === "coordination.k8s.io" && type.resource === "leases") {
    checkLeaseSpec(object.spec, causes);
  } else if (type.group === "batch" && type.resource === "jobs") {
    const spec = (object.spec ?? {}) as { template?: { spec?: unknown } };
    checkPodSpec(spec.template?.spec, "spec.template.spec", causes);
  }
  if (causes.length > 0)
    throw ApiStatusError.invalid(type.kind, type.group, object.metadata?.name ?? "", causes);
}
