/** The pod `log` subresource: container output as chunked text/plain, optionally followed. */
import { ApiStatusError } from "../api/errors.js";
import type { PodIO, StoredObject } from "../api/seams.js";
import type { ResourceRequest } from "./crud.js";
import { queryBool } from "./query.js";

interface PodSpecLike {
  containers?: { name: string }[];
  initContainers?: { name: string }[];
  ephemeralContainers?: { name: string }[];
}

/** Picks the container a pod subresource addresses, with the API server's errors. */
export function resolveContainer(pod: StoredObject, requested: string | null): string {
  const spec = (pod.spec ?? {}) as PodSpecLike;
  const names = (spec.containers ?? []).map((c) => c.name);
  const all = [
    ...names,
    ...(spec.initContainers ?? []).map((c) => c.name),
    ...(spec.ephemeralContainers ?? []).map((c) => c.name),
  ];
  if (requested === null || requested === "") {
    if (names.length === 1) return names[0]!;
    throw ApiStatusError.badRequest(
      `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(" ")}]`,
    );
  }
  if (!all.includes(requested)) {
    throw ApiStatusError.badRequest(`container ${requested} is not valid for pod ${pod.metadata.name}`);
  }
  return requested;
}

function positiveInt(value: string | null, field: string): number | undefined {
  if (value === null || value === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw ApiStatusError.badRequest(`${field}: Invalid value: "${value}": must be a non-negative integer`);
  return n;
}

/** Serves `GET …/pods/<name>/log`. */
export async function handleLog(r: ResourceRequest, podIO: PodIO): Promise<void> {
  const pod = r.store.get(r.type, r.namespace, r.name!);
  if (!pod) throw ApiStatusError.notFound(r.type, r.name!);
  const q = r.url.searchParams;
  const container = resolveContainer(pod, q.get("container"));
  const follow = queryBool(q, "follow");
  const tailLines = positiveInt(q.get("tailLines"), "tailLines");
  const limitBytes = positiveInt(q.get("limitBytes"), "limitBytes");
  const controller = new AbortController();
  const { res } = r;
  res.on("close", () =>
    controller.abort(new ApiStatusError(499, "ClientClosedRequest", "the client closed the log stream")),
  );
  let written = 0;
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    res.writeHead(200, {
      "Content-Type": "text/plain",
      "Transfer-Encoding": "chunked",
      "Cache-Control": "no-cache, private",
    });
    r.req.socket.setNoDelay(true);
  };
  const write = (chunk: Uint8Array) => {
    if (controller.signal.aborted || res.writableEnded) return;
    start();
    let data = chunk;
    if (limitBytes !== undefined) {
      const room = limitBytes - written;
      if (room <= 0) return;
      if (data.length > room) data = data.subarray(0, room);
    }
    written += data.length;
    res.write(data);
    if (limitBytes !== undefined && written >= limitBytes) {
      res.end();
      controller.abort(new ApiStatusError(200, "LimitReached", "limitBytes reached"));
    }
  };
  try {
    await podIO.logs(
      {
        namespace: pod.metadata.namespace ?? r.namespace!,
        pod,
        container,
        follow,
        ...(tailLines === undefined ? {} : { tailLines }),
        ...(limitBytes === undefined ? {} : { limitBytes }),
      },
      write,
      controller.signal,
    );
  } catch (err) {
    if (!started) throw err;
  }
  start();
  if (!res.writableEnded) res.end();
}
