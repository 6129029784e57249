/** KubeOps: create, patch or delete Kubernetes objects from a YAML spec and an object reference. */
import { ErrorCodes, QuiesceError, yamlDocumentToValue } from "@quiesce/core";
import type { KubeObject, ObjectRef } from "@quiesce/kube";
import { parseAllDocuments } from "yaml";
import { z } from "zod";
import { looseString } from "../args.js";
import { defineFunction, type FunctionContext } from "../define-function.js";
import { requestTimeout } from "./common.js";

// Kanister decodes objectReference into crv1alpha1.ObjectReference with mapstructure: field names
// match case-insensitively, other keys are ignored.
const ObjectReferenceArg = z.record(z.string(), z.unknown()).transform((raw) => {
  const field = (name: string) => {
    const key = Object.keys(raw).find((k) => k.toLowerCase() === name.toLowerCase());
    const v = key === undefined ? undefined : raw[key];
    return typeof v === "string" ? v : v === undefined || v === null ? "" : String(v);
  };
  return {
    apiVersion: field("apiVersion"),
    group: field("group"),
    resource: field("resource"),
    kind: field("kind"),
    name: field("name"),
    namespace: field("namespace"),
  };
});
type Reference = z.output<typeof ObjectReferenceArg>;

/** The output of KubeOps: Kanister's ObjectReference as JSON (`namespace` omitted when empty). */
export interface KubeOpsOutput extends Record<string, unknown> {
  apiVersion: string;
  group: string;
  resource: string;
  kind: string;
  name: string;
  namespace?: string;
}

/**
 * Kanister's KubeOps (pkg/function/kubeops.go, pkg/kube/kubectl.go): `operation` `create`,
 * `patch` or `delete`; `spec` a YAML string (several documents are all created); `namespace`
 * (default `default`; a namespace in the spec wins); `objectReference`
 * `{ apiVersion (the version only), group, resource, name, namespace }`. Create outputs the created
 * object's reference (its `kind` empty, as Kanister leaves it); patch sends the spec as a strategic
 * merge patch to the reference's own namespace; delete deletes in the reference's namespace, else
 * `namespace`, and waits until the object is gone. Patch and delete output the reference as given.
 */
export const kubeOps = defineFunction({
  name: "KubeOps",
  outputs: ["apiVersion", "group", "resource", "kind", "name", "namespace"],
  args: z.object({
    operation: looseString(),
    spec: looseString().optional(),
    namespace: looseString().optional(),
    objectReference: ObjectReferenceArg.optional(),
  }),
  async exec(ctx, args) {
    const namespace = args.namespace ?? "default";
    const spec = args.spec ?? "";
    const given = args.objectReference ?? emptyReference();
    switch (args.operation) {
      case "create":
        if (spec.length === 0) throw invalid("spec cannot be empty for create operation");
        return create(ctx, specDocuments(spec), namespace);
      case "delete": {
        if (given.name === "" || given.apiVersion === "" || given.resource === "") {
          throw invalid(
            "missing one or more required fields name/namespace/group/apiVersion/resource in objectReference for delete operation",
          );
        }
        await ctx.cluster.delete(toRef(given, given.namespace || namespace || "default"), {
          signal: ctx.signal,
          timeoutMs: ctx.timeoutMs,
          waitForDeletion: true,
        });
        return output(given);
      }
      case "patch": {
        if (spec.length === 0) throw invalid("spec cannot be empty for patch operation");
        const [patch] = specDocuments(spec);
        await ctx.cluster.patch(toRef(given, given.namespace), patch ?? {}, "strategic", {
          signal: ctx.signal,
          ...requestTimeout(ctx),
        });
        return output(given);
      }
      default:
        throw invalid(`invalid operation '${args.operation}'`);
    }
  },
});

function invalid(message: string): QuiesceError {
  return new QuiesceError(ErrorCodes.VALIDATION, `KubeOps: ${message}`);
}

function emptyReference(): Reference {
  return { apiVersion: "", group: "", resource: "", kind: "", name: "", namespace: "" };
}

/**
 * Kanister's KubectlOperation.Create (pkg/kube/kubectl.go): kubectl's builder maps every document
 * first (a kind the server does not serve creates nothing), then creates them in order, each in
 * its own namespace when it names one — and that namespace then stays for the documents after it
 * that name none, as Kanister's loop reassigns it.
 */
async function create(ctx: FunctionContext, docs: KubeObject[], namespace: string): Promise<KubeOpsOutput> {
  const resolved = [];
  for (const doc of docs) {
    if (!doc.apiVersion || !doc.kind) throw invalid("the spec needs apiVersion and kind");
    resolved.push({
      doc,
      info: await ctx.cluster.resolveResource(doc.apiVersion, doc.kind, { signal: ctx.signal }),
    });
  }
  let current = namespace;
  let last: KubeOpsOutput | undefined;
  for (const { doc, info } of resolved) {
    const metadata = { ...(doc.metadata ?? {}) };
    if (info.namespaced && metadata.namespace) current = metadata.namespace;
    // Cluster-scoped kinds have no namespace (kubectl's FilterNamespace).
    if (info.namespaced) metadata.namespace = current;
    else delete metadata.namespace;
    const created = await ctx.cluster.create(
      { ...doc, metadata },
      { signal: ctx.signal, ...requestTimeout(ctx) },
    );
    last = output({
      apiVersion: info.version,
      group: info.group,
      resource: info.resource,
      kind: "",
      name: created.metadata?.name ?? "",
      namespace: created.metadata?.namespace ?? "",
    });
  }
  if (!last) throw invalid("spec cannot be empty for create operation");
  return last;
}

function specDocuments(spec: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of parseAllDocuments(spec)) {
    if (doc.errors.length > 0) throw invalid(`spec is not valid YAML: ${doc.errors[0]?.message}`);
    // The loaders' guard: an alias bomb, a cycle, or a document too deep or too large is refused.
    const value = yamlDocumentToValue(doc, "KubeOps spec");
    if (value === null || value === undefined) continue;
    if (typeof value !== "object" || Array.isArray(value)) throw invalid("spec must be a YAML mapping");
    const object = value as KubeObject & { items?: unknown };
    // kubectl's builder flattens a List into its items.
    if (object.kind?.endsWith("List") && Array.isArray(object.items))
      out.push(...(object.items as KubeObject[]));
    else out.push(object);
  }
  return out;
}

/** The reference's resource; Kanister uses `apiVersion` as the version and `group` as the group. */
function toRef(ref: Reference, namespace: string): ObjectRef {
  if (ref.apiVersion.includes("/")) {
    throw invalid(
      `objectReference.apiVersion is the version only, the group goes in objectReference.group (got "${ref.apiVersion}")`,
    );
  }
  return {
    group: ref.group,
    version: ref.apiVersion,
    resource: ref.resource,
    name: ref.name,
    ...(namespace ? { namespace } : {}),
  };
}

function output(ref: Reference): KubeOpsOutput {
  return {
    apiVersion: ref.apiVersion,
    group: ref.group,
    resource: ref.resource,
    kind: ref.kind,
    name: ref.name,
    ...(ref.namespace ? { namespace: ref.namespace } : {}),
  };
}
