/** `--subject kind/[namespace/]name`: what an action or a hook session is about. */
import { UsageError } from "./io.js";

/** A subject as the command line names it. */
export interface SubjectArg {
  kind: string;
  name: string;
  namespace?: string;
}

/** Short and lower-case names of the kinds Blueprints understand, as kubectl spells them. */
const KINDS: Record<string, string> = {
  statefulset: "StatefulSet",
  statefulsets: "StatefulSet",
  sts: "StatefulSet",
  deployment: "Deployment",
  deployments: "Deployment",
  deploy: "Deployment",
  namespace: "Namespace",
  namespaces: "Namespace",
  ns: "Namespace",
  pvc: "PVC",
  persistentvolumeclaim: "PVC",
  persistentvolumeclaims: "PVC",
};

/**
 * `kind/namespace/name`; `kind/name` in `namespace` (`-n`; without it the namespace is left for
 * the caller to fill from the kubeconfig context); or `namespace/<name>` for a Namespace subject.
 * With `anyKind`, kinds other than statefulset, deployment, pvc and namespace are kept as written
 * (a KubeStash target may be any kind); otherwise they are a usage error.
 */
export function parseSubject(text: string, namespace: string | undefined, anyKind = false): SubjectArg {
  const parts = text.split("/");
  const head = parts[0] ?? "";
  const kind =
    KINDS[head.toLowerCase()] ?? (anyKind && /^[A-Za-z][A-Za-z0-9]*$/.test(head) ? head : undefined);
  if (kind === "Namespace" && parts.length === 2 && parts[1]) return { kind, name: parts[1] };
  if (kind && kind !== "Namespace" && parts.length === 2 && parts[1]) {
    return namespace === undefined ? { kind, name: parts[1] } : { kind, namespace, name: parts[1] };
  }
  if (kind && kind !== "Namespace" && parts.length === 3 && parts[1] && parts[2]) {
    if (namespace !== undefined && namespace !== parts[1]) {
      throw new UsageError(`--subject names namespace "${parts[1]}" but --namespace says "${namespace}"`);
    }
    return { kind, namespace: parts[1], name: parts[2] };
  }
  const kinds = anyKind ? "any kind, e.g. statefulset" : "statefulset, deployment, pvc";
  throw new UsageError(
    `--subject: expected <kind>/<name> or <kind>/<namespace>/<name> (${kinds}) or namespace/<name>, got "${text}"`,
  );
}

/** Fills the namespace of a namespaced subject the command line left without one. */
export function inNamespace(subject: SubjectArg, namespace: string): SubjectArg {
  return subject.kind === "Namespace" || subject.namespace !== undefined
    ? subject
    : { ...subject, namespace };
}
