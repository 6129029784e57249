/**
 * A minimal OpenAPI v3 surface: the root index and one document per group/version listing each
 * resource's PATCH operation with its `x-kubernetes-group-version-kind` and the `fieldValidation`
 * query parameter — what kubectl reads to decide that the server validates fields itself (so
 * `kubectl apply` works without `--validate=false`). Schemas are not served.
 */
import type { ResourceType } from "../api/seams.js";

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
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: "v1.33.0" },
    paths,
    components: { schemas: {} },
  };
}
