/** `apply()`: creates or updates objects (or multi-document YAML) in the local cluster's store, CRDs first. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import type { KubeObject } from "@quiesce/kube";
import { parseAllDocuments } from "yaml";
import type { ObjectStore, ResourceType, StoredObject } from "./api/seams.js";

/** A Kubernetes object as written in a manifest. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; generateName?: string; namespace?: string; [field: string]: unknown };
  [field: string]: unknown;
}

/**
 * What `apply` and `delete` accept: YAML text (one or more documents, `kind: List` too), an object,
 * or objects. Objects are validated like YAML documents (apiVersion, kind and metadata.name required).
 */
export type ManifestInput = string | KubeObject | readonly KubeObject[];

/** Options of {@link applyManifests}. */
export interface ApplyOptions {
  /** Namespace for namespaced objects that name none (default "default"). */
  namespace?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Parses and validates manifests; errors (`QUIESCE_VALIDATION`) name the document and field.
 *
 * @example
 * ```ts
 * parseManifests("apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n---\n..."); // [{ kind: "ConfigMap", … }]
 * ```
 */
export function parseManifests(input: ManifestInput): Manifest[] {
  let raw: unknown[];
  if (typeof input === "string") {
    raw = [];
    for (const [i, doc] of parseAllDocuments(input).entries()) {
      if (doc.errors.length > 0) {
        throw new QuiesceError(
          ErrorCodes.VALIDATION,
          `documents[${i}]: invalid YAML: ${doc.errors[0]?.message}`,
          {
            details: { path: `documents[${i}]` },
          },
        );
      }
      const value: unknown = doc.toJS();
      if (value !== null && value !== undefined) raw.push(value);
    }
  } else {
    raw = Array.isArray(input) ? [...input] : [input];
  }
  const out: Manifest[] = [];
  const check = (value: unknown, path: string) => {
    if (!isRecord(value)) throw invalid(path, "expected an object");
    if (value.kind === "List" && Array.isArray(value.items)) {
      for (const [j, item] of value.items.entries()) check(item, `${path}.items[${j}]`);
      return;
    }
    if (typeof value.apiVersion !== "string" || value.apiVersion === "")
      throw invalid(`${path}.apiVersion`, "expected a non-empty string");
    if (typeof value.kind !== "string" || value.kind === "")
      throw invalid(`${path}.kind`, "expected a non-empty string");
    const meta = value.metadata;
    if (!isRecord(meta)) throw invalid(`${path}.metadata`, "expected an object");
    if (typeof meta.name !== "string" && typeof meta.generateName !== "string") {
      throw invalid(`${path}.metadata.name`, "expected a name (or generateName)");
    }
    out.push(value as Manifest);
  };
  for (const [i, value] of raw.entries()) check(value, `documents[${i}]`);
  return out;
}

function invalid(path: string, expected: string): QuiesceError {
  return new QuiesceError(ErrorCodes.VALIDATION, `${path}: ${expected}`, { details: { path } });
}

/** CRDs, then namespaces, then everything else in the given order: custom resources need their types. */
function rank(m: Manifest): number {
  if (m.kind === "CustomResourceDefinition") return 0;
  if (m.kind === "Namespace") return 1;
  return 2;
}

function typeOf(store: ObjectStore, m: Manifest, path: string): ResourceType {
  const type = store.typeForKind(m.apiVersion, m.kind);
  if (!type) {
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      `${path}: the local cluster serves no ${m.kind} in ${m.apiVersion}`,
      {
        details: { path, apiVersion: m.apiVersion, kind: m.kind },
      },
    );
  }
  return type;
}

/**
 * Creates each object, or updates it when one of that name exists (its spec/data replaced, labels
 * and annotations merged, status kept). Works on the store directly, so faults do not apply.
 * Every document is validated, and every kind checked, before anything is written.
 *
 * @example
 * ```ts
 * const store = createObjectStore();
 * applyManifests(store, [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" }, data: { a: "1" } }]);
 * ```
 */
export function applyManifests(
  store: ObjectStore,
  input: ManifestInput,
  options: ApplyOptions = {},
): StoredObject[] {
  const manifests = parseManifests(input)
    .map((m, i) => ({ m, i }))
    .sort((a, b) => rank(a.m) - rank(b.m) || a.i - b.i);
  // Fail before writing anything when a kind is neither served nor defined by a CRD in this batch.
  const defined = new Set(
    manifests
      .filter(({ m }) => m.kind === "CustomResourceDefinition")
      .map(({ m }) => {
        const spec = m.spec as { group?: string; names?: { kind?: string } } | undefined;
        return `${spec?.group}/${spec?.names?.kind}`;
      }),
  );
  for (const { m, i } of manifests) {
    const group = m.apiVersion.includes("/") ? m.apiVersion.slice(0, m.apiVersion.indexOf("/")) : "";
    if (!defined.has(`${group}/${m.kind}`)) typeOf(store, m, `documents[${i}]`);
  }
  const results: StoredObject[] = [];
  for (const { m, i } of manifests) {
    const path = `documents[${i}]`;
    const type = typeOf(store, m, path);
    const object = structuredClone(m) as Manifest;
    if (type.namespaced)
      object.metadata.namespace = object.metadata.namespace ?? options.namespace ?? "default";
    else delete object.metadata.namespace;
    const name = object.metadata.name;
    const existing = name === undefined ? undefined : store.get(type, object.metadata.namespace, name);
    if (!existing) {
      results.push(store.create(type, object as Parameters<ObjectStore["create"]>[1]));
      continue;
    }
    const { metadata, status: _status, ...fields } = object;
    const next: StoredObject = {
      ...fields,
      apiVersion: existing.apiVersion,
      kind: existing.kind,
      metadata: { ...existing.metadata },
    };
    for (const key of ["labels", "annotations"] as const) {
      const merged = {
        ...(existing.metadata[key] ?? {}),
        ...((metadata[key] as Record<string, string> | undefined) ?? {}),
      };
      if (Object.keys(merged).length > 0) next.metadata[key] = merged;
    }
    if (existing.status !== undefined) next.status = existing.status;
    results.push(store.update(type, next));
  }
  return results;
}

/**
 * Deletes each object named in `input` (Background propagation); objects already gone are skipped.
 *
 * @example
 * ```ts
 * deleteManifests(store, "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\n");
 * ```
 */
export function deleteManifests(
  store: ObjectStore,
  input: ManifestInput,
  options: ApplyOptions = {},
): StoredObject[] {
  const deleted: StoredObject[] = [];
  for (const [i, m] of parseManifests(input).entries()) {
    const type = typeOf(store, m, `documents[${i}]`);
    const namespace = type.namespaced ? (m.metadata.namespace ?? options.namespace ?? "default") : undefined;
    const name = m.metadata.name;
    if (name === undefined || !store.get(type, namespace, name)) continue;
    deleted.push(store.delete(type, namespace, name, { propagationPolicy: "Background" }));
  }
  return deleted;
}
