/** Maps an API path to what it addresses: discovery, a resource collection, an object, or a subresource. */
import type { ObjectStore, ResourceType } from "../api/seams.js";

/** A parsed API path. */
export type Route =
  | { kind: "version" }
  | { kind: "api" }
  | { kind: "apis" }
  | { kind: "group"; group: string }
  | { kind: "resources"; group: string; version: string }
  | {
      kind: "resource";
      type: ResourceType;
      namespace?: string;
      name?: string;
      subresource?: string;
      /** The deprecated `/watch/` path prefix was used (same as `?watch=true`). */
      watch?: boolean;
    }
  | { kind: "unknown"; message: string };

function decode(parts: string[]): string[] {
  return parts.map((p) => decodeURIComponent(p));
}

/** Resolves `pathname` against the types the store serves. */
export function parseRoute(pathname: string, store: ObjectStore): Route {
  const parts = decode(pathname.split("/").filter((p) => p !== ""));
  if (parts.length === 1 && parts[0] === "version") return { kind: "version" };
  let group: string;
  let version: string | undefined;
  let rest: string[];
  if (parts[0] === "api") {
    if (parts.length === 1) return { kind: "api" };
    group = "";
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === "apis") {
    if (parts.length === 1) return { kind: "apis" };
    group = parts[1]!;
    if (parts.length === 2) return { kind: "group", group };
    version = parts[2]!;
    rest = parts.slice(3);
  } else {
    return { kind: "unknown", message: "the server could not find the requested resource" };
  }
  if (rest.length === 0) return { kind: "resources", group, version };
  const legacyWatch = rest[0] === "watch" && rest.length > 1;
  if (legacyWatch) rest = rest.slice(1);
  const watchFlag = legacyWatch ? { watch: true } : {};
  const notFound: Route = { kind: "unknown", message: "the server could not find the requested resource" };
  // /namespaces/<ns>/<resource>/... addresses namespaced resources; /namespaces/<ns>[/status] the namespace itself.
  if (rest[0] === "namespaces" && rest.length >= 3) {
    const nested = store.typeFor(group, version, rest[2]!);
    if (nested?.namespaced) {
      return {
        kind: "resource",
        type: nested,
        namespace: rest[1]!,
        ...(rest[3] !== undefined ? { name: rest[3] } : {}),
        ...(rest[4] !== undefined ? { subresource: rest[4] } : {}),
        ...watchFlag,
      };
    }
    if (rest.length > 5) return notFound;
  }
  const type = store.typeFor(group, version, rest[0]!);
  if (!type || rest.length > 3) return notFound;
  return {
    kind: "resource",
    type,
    ...(rest[1] !== undefined ? { name: rest[1] } : {}),
    ...(rest[2] !== undefined ? { subresource: rest[2] } : {}),
    ...watchFlag,
  };
}
