/** KubeOps: create, patch or delete Kubernetes objects from a spec (YAML text or an object). */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import type { KubeObject, ObjectRef } from "@quiesce/kube";
import { parseAllDocuments } from "yaml";
import { z } from "zod";
import { looseString } from "../args.js";
import { defineFunction, type FunctionContext } from "../define-function.js";
import { given } from "./common.js";

const ObjectReferenceArg = z.strictObject({
  apiVersion: looseString().optional(),
  group: looseString().optional(),
  resource: looseString().optional(),
  kind: looseString().optional(),
  name: looseString().optional(),
  namespace: looseString().optional(),
});

/** The output of KubeOps: the object reference (apiVersion is the version only, as Kanister gives it). */
export interface KubeOpsOutput extends Record<string, unknown> {
  apiVersion: string;
  group: string;
  resource: string;
  kind: string;
  name: string;
  namespace: string;
}

/**
 * Kanister's KubeOps: `operation` create | patch | delete; `spec` (YAML text or an object) for
 * create and patch; `namespace` (default "default"; a namespace in the spec wins); `objectReference`
 * ({apiVersion, group, resource, name, namespace}) for patch and delete. Delete waits until the
 * object is gone. Outputs the object reference: `apiVersion`, `group`, `resource`, `kind`, `name`, `namespace`.
 */
export const kubeOps = defineFunction({
  name: "KubeOps",
  outputs: ["apiVersion", "group", "resource", "kind", "name", "namespace"],
  args: z.object({
    operation: z.enum(["create", "patch", "delete"]),
    spec: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
    namespace: looseString().optional(),
    objectReference: ObjectReferenceArg.optional(),
  }),
  async exec(ctx, args) {
    const namespace = given(args.namespace) ?? "default";
    switch (args.operation) {
      case "create":
        return create(ctx, specDocuments(args.spec, "create"), namespace);
      case "delete": {
        const ref = requireRef(args.objectReference, "delete", namespace);
        await ctx.cluster.delete(ref, {
          signal: ctx.signal,
          timeoutMs: ctx.timeoutMs,
          waitForDeletion: true,
        });
        return output(ref, args.objectReference?.kind ?? "");
      }
      case "patch": {
        const [patch] = specDocuments(args.spec, "patch");
        const ref = requireRef(args.objectReference, "patch", namespace);
        // Strategic merge is what Kanister sends; custom resources only accept a merge patch.
        const builtin =
          ref.group === undefined ||
          ref.group === "" ||
          !ref.group.includes(".") ||
          ref.group.endsWith(".k8s.io");
        await ctx.cluster.patch(ref, patch, builtin ? "strategic" : "merge", {
          signal: ctx.signal,
          timeoutMs: ctx.timeoutMs,
        });
        return output(ref, args.objectReference?.kind ?? "");
      }
    }
  },
});

async function create(ctx: FunctionContext, docs: KubeObject[], namespace: string): Promise<KubeOpsOutput> {
  let last: KubeOpsOutput | undefined;
  for (const doc of docs) {
    if (!doc.apiVersion || !doc.kind) {
      throw new QuiesceError(ErrorCodes.VALIDATION, "KubeOps create: the spec needs apiVersion and kind");
    }
    const info = await ctx.cluster.resolveResource(doc.apiVersion, doc.kind, { signal: ctx.signal });
    const metadata = { ...(doc.metadata ?? {}) };
    if (info.namespaced && !metadata.namespace) metadata.namespace = namespace;
    const created = await ctx.cluster.create(
      { ...doc, metadata },
      { signal: ctx.signal, timeoutMs: ctx.timeoutMs },
    );
    last = {
      apiVersion: info.version,
      group: info.group,
      resource: info.resource,
      kind: info.kind,
      name: created.metadata?.name ?? "",
      namespace: created.metadata?.namespace ?? "",
    };
  }
  if (!last) throw new QuiesceError(ErrorCodes.VALIDATION, "KubeOps create: spec cannot be empty");
  return last;
}

function specDocuments(spec: string | Record<string, unknown> | undefined, op: string): KubeObject[] {
  if (spec === undefined || (typeof spec === "string" && spec.trim() === "")) {
    throw new QuiesceError(ErrorCodes.VALIDATION, `KubeOps ${op}: spec cannot be empty`);
  }
  if (typeof spec !== "string") return [spec as KubeObject];
  const docs = parseAllDocuments(spec);
  const out: KubeObject[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      throw new QuiesceError(
        ErrorCodes.VALIDATION,
        `KubeOps ${op}: spec is not valid YAML: ${doc.errors[0]?.message}`,
      );
    }
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== "object" || Array.isArray(value)) {
      throw new QuiesceError(ErrorCodes.VALIDATION, `KubeOps ${op}: spec must be a YAML mapping`);
    }
    out.push(value as KubeObject);
  }
  return out;
}

function requireRef(
  ref: z.output<typeof ObjectReferenceArg> | undefined,
  op: string,
  namespace: string,
): ObjectRef & { group: string } {
  if (!ref?.name || !ref.apiVersion || !ref.resource) {
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      `KubeOps ${op}: objectReference needs name, apiVersion and resource (and group for non-core types)`,
    );
  }
  let group = ref.group ?? "";
  let version = ref.apiVersion;
  if (!group && version.includes("/")) [group, version] = version.split("/", 2) as [string, string];
  return {
    group,
    version,
    resource: ref.resource,
    name: ref.name,
    namespace: given(ref.namespace) ?? namespace,
  };
}

function output(ref: ObjectRef & { group: string }, kind: string): KubeOpsOutput {
  return {
    apiVersion: ref.version,
    group: ref.group,
    resource: ref.resource,
    kind,
    name: ref.name,
    namespace: ref.namespace ?? "",
  };
}
