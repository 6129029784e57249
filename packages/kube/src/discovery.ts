/** Discovery: which resource serves an apiVersion + kind, read from `/api/v1` and `/apis/<g>/<v>` and cached. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import type { CallOptions, ResourceInfo } from "./cluster.js";
import { groupVersionPath, splitApiVersion } from "./paths.js";
import type { Transport } from "./transport.js";

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

/** A per-connection discovery cache. */
export class Discovery {
  private readonly cache = new Map<string, Promise<ApiResource[]>>();

  constructor(private readonly transport: Transport) {}

  private resources(apiVersion: string, options: CallOptions): Promise<ApiResource[]> {
    let hit = this.cache.get(apiVersion);
    if (!hit) {
      const gv = splitApiVersion(apiVersion);
      hit = this.transport
        .json<{ resources?: ApiResource[] }>({
          method: "GET",
          path: groupVersionPath(gv),
          idempotent: true,
          facts: { verb: "get", resource: `discovery ${apiVersion}` },
          signal: options.signal,
          timeoutMs: options.timeoutMs,
        })
        .then((list) => list.resources ?? []);
      this.cache.set(apiVersion, hit);
      // A failed lookup is not cached: the next call asks again.
      hit.catch(() => this.cache.delete(apiVersion));
    }
    return hit;
  }

  /** Forgets what was learned (e.g. after a CRD was installed). */
  invalidate(apiVersion?: string): void {
    if (apiVersion === undefined) this.cache.clear();
    else this.cache.delete(apiVersion);
  }

  async resolve(apiVersion: string, kind: string, options: CallOptions = {}): Promise<ResourceInfo> {
    const gv = splitApiVersion(apiVersion);
    let resources: ApiResource[];
    try {
      resources = await this.resources(apiVersion, options);
    } catch (err) {
      if (QuiesceError.is(err, ErrorCodes.KUBE_NOT_FOUND)) throw unknownKind(apiVersion, kind, err);
      throw err;
    }
    let found = resources.find((r) => !r.name.includes("/") && r.kind === kind);
    if (!found) {
      // A CRD installed after the first lookup: ask once more before giving up.
      this.invalidate(apiVersion);
      resources = await this.resources(apiVersion, options);
      found = resources.find((r) => !r.name.includes("/") && r.kind === kind);
    }
    if (!found) throw unknownKind(apiVersion, kind);
    return { group: gv.group, version: gv.version, resource: found.name, kind, namespaced: found.namespaced };
  }
}

function unknownKind(apiVersion: string, kind: string, cause?: unknown): QuiesceError {
  return new QuiesceError(
    ErrorCodes.KUBE_NOT_FOUND,
    `the server does not serve kind "${kind}" in "${apiVersion}"`,
    {
      cause,
      details: { apiVersion, kind },
    },
  );
}
