/** Names a request the way Kubernetes audit logs and RBAC do: verb, resource, namespace, name. */
import type { FaultVerb, RequestRecord } from "../faults/faults.js";
import { queryBool } from "./query.js";
import type { Route } from "./route.js";

/** What a request does, for faults and the request log. */
export interface RequestInfo {
  verb: RequestRecord["verb"];
  /** Plural resource, with `/subresource` when one is addressed. */
  resource?: string;
  namespace?: string;
  name?: string;
}

function isWatch(url: URL): boolean {
  return queryBool(url.searchParams, "watch");
}

/** Classifies a request by method and route. */
export function classify(method: string, route: Route, url: URL): RequestInfo {
  if (route.kind !== "resource") return { verb: route.kind === "unknown" ? "other" : "discovery" };
  const { type, namespace, name, subresource } = route;
  const base = {
    resource: subresource ? `${type.resource}/${subresource}` : type.resource,
    ...(namespace === undefined ? {} : { namespace }),
    ...(name === undefined ? {} : { name }),
  };
  let verb: FaultVerb | "other";
  if (subresource === "exec") verb = "exec";
  else if (subresource === "log") verb = "log";
  else if (method === "GET")
    verb = route.watch || isWatch(url) ? "watch" : name !== undefined ? "get" : "list";
  else if (method === "POST") verb = "create";
  else if (method === "PUT") verb = "update";
  else if (method === "PATCH") verb = "patch";
  else if (method === "DELETE") verb = "delete";
  else verb = "other";
  return { verb, ...base };
}
