/**
 * The OpenAPI v3 surface: the root index and one document per group/version listing each
 * resource's PATCH operation with its `x-kubernetes-group-version-kind` and the `fieldValidation`
 * query parameter — what kubectl reads to decide that the server validates fields itself (so
 * `kubectl apply` works without `--validate=false`) — and the kinds' schemas, which
 * `kubectl explain` reads: built-in kinds from their message descriptions, custom resources from
 * their CRD's `openAPIV3Schema`.
 */
import type { ObjectStore, ResourceType } from "../api/seams.js";
import { builtinSchemas, type Gvk, type JsonSchema } from "./openapi-schemas.js";

/** The `openAPIV3Schema` a CRD declares for a group/version/kind, if any. */
export type CrdSchemaLookup = (gvk: Gvk) => JsonSchema | undefined;

const pathOf = (group: string, version: string) =>
  group === "" ? `api/${version}` : `apis/${group}/${version}`;

/** `GET /openapi/v3`. */
export function openApiRoot(types: ResourceType[]): Record<string, unknown> {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const t of types) {
    const p = pathOf(t.group, t.version);
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}` };
  }
  return { paths };
}

/** `GET /openapi/v3/<api/v1 | apis/g/v>`, or undefined when the group/version is not served. */
export function openApiGroupVersion(
  suffix: string,
  types: ResourceType[],
  crdSchema: CrdSchemaLookup = () => undefined,
): Record<string, unknown> | undefined {
  const mine = types.filter((t) => pathOf(t.group, t.version) === suffix);
  if (mine.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const t of mine) {
    const scope = t.namespaced ? "/namespaces/{namespace}" : "";
    paths[`/${suffix}${scope}/${t.resource}/{name}`] = {
      patch: {
        operationId: `patch${t.kind}`,
        "x-kubernetes-action": "patch",
        "x-kubernetes-group-version-kind": { group: t.group, version: t.version, kind: t.kind },
        parameters: [
          { name: "dryRun", in: "query", schema: { type: "string" } },
          { name: "fieldManager", in: "query", schema: { type: "string" } },
          { name: "fieldValidation", in: "query", schema: { type: "string" } },
          { name: "force", in: "query", schema: { type: "boolean" } },
        ],
        responses: { "200": { description: "OK" } },
      },
    };
  }
  const gvks = mine.map((t) => ({ group: t.group, version: t.version, kind: t.kind }));
  const schemas = builtinSchemas(gvks);
  for (const gvk of gvks) {
    const custom = schemas[gvk.kind] ? undefined : crdSchema(gvk);
    if (custom)
      schemas[`${gvk.group}.${gvk.version}.${gvk.kind}`] = {
        ...custom,
        "x-kubernetes-group-version-kind": [gvk],
      };
  }
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: "v1.33.0" },
    paths,
    components: { schemas },
  };
}

/** The `openAPIV3Schema` of the stored CRD that serves `gvk`, if any. */
export function crdSchemaOf(store: ObjectStore, gvk: Gvk): JsonSchema | undefined {
  const crdType = store.typeFor("apiextensions.k8s.io", "v1", "customresourcedefinitions");
  if (!crdType) return undefined;
  for (const crd of store.list(crdType, undefined).items) {
    const spec = crd.spec as
      | {
          group?: string;
          names?: { kind?: string };
          versions?: Array<{ name?: string; schema?: { openAPIV3Schema?: JsonSchema } }>;
        }
      | undefined;
    if (spec?.group !== gvk.group || spec.names?.kind !== gvk.kind) continue;
    return spec.versions?.find((v) => v.name === gvk.version)?.schema?.openAPIV3Schema;
  }
  return undefined;
}
