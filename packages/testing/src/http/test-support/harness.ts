/** Test harness: a store, a scripted PodIO, faults and a running server, plus a fetch helper. */
import { KubeConfig } from "@kubernetes/client-node";
import { ApiStatusError } from "../../api/errors.js";
import { kubeconfigFor } from "../../api/kubeconfig.js";
import type { ExecRequest, ExecStreams, LogRequest, PodIO, StoredObject } from "../../api/seams.js";
import { createFaults } from "../../faults/faults.js";
import { createObjectStore, type ObjectStoreOptions } from "../../store/object-store.js";
import { createApiServer } from "../server.js";

export const TOKEN = "test-token";

/** A scripted command: writes to streams, returns an exit code. */
export type Script = (
  request: ExecRequest,
  streams: ExecStreams,
  signal: AbortSignal,
) => Promise<number> | number;

/** A PodIO whose commands are scripts keyed by argv[0], for exercising the wire protocol only. */
export class ScriptedPodIO implements PodIO {
  readonly scripts = new Map<string, Script>();
  readonly logsByContainer = new Map<string, string>();
  execCalls: ExecRequest[] = [];

  async exec(request: ExecRequest, streams: ExecStreams, signal: AbortSignal): Promise<{ exitCode: number }> {
    this.execCalls.push(request);
    const phase = (request.pod.status as { phase?: string } | undefined)?.phase;
    if (phase !== "Running")
      throw ApiStatusError.badRequest(`pod ${request.pod.metadata.name} is not running`);
    const script = this.scripts.get(request.command[0]!);
    if (!script)
      throw new ApiStatusError(
        500,
        "InternalError",
        `executable file not found in $PATH: ${request.command[0]}`,
      );
    return { exitCode: await script(request, streams, signal) };
  }

  async logs(request: LogRequest, write: (chunk: Uint8Array) => void, signal: AbortSignal): Promise<void> {
    const text = this.logsByContainer.get(`${request.pod.metadata.name}/${request.container}`);
    if (text === undefined) throw ApiStatusError.badRequest(`container "${request.container}" has no logs`);
    let lines = text.split(/(?<=\n)/);
    if (request.tailLines !== undefined) lines = lines.slice(-request.tailLines);
    for (const line of lines) write(Buffer.from(line));
    if (request.follow) {
      await new Promise<void>((resolve) => {
        let n = 0;
        const timer = setInterval(() => {
          write(Buffer.from(`follow ${n++}\n`));
          if (n === 3) {
            clearInterval(timer);
            resolve();
          }
        }, 5);
        signal.addEventListener("abort", () => {
          clearInterval(timer);
          resolve();
        });
      });
    }
  }
}

/** An HTTP answer as tests read it. */
export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
  retryAfter: string | null;
}

/** Starts a server with a fresh store; `close()` stops it. */
export async function startHarness(
  options: {
    store?: ObjectStoreOptions;
    bookmarkIntervalMs?: number;
    anonymous?: boolean;
    tls?: boolean;
  } = {},
) {
  const store = createObjectStore(options.store);
  const podIO = new ScriptedPodIO();
  const faults = createFaults();
  const server = await createApiServer({
    store,
    podIO,
    faults,
    ...(options.anonymous ? {} : { token: TOKEN }),
    ...(options.tls ? { tls: true } : {}),
    ...(options.bookmarkIntervalMs ? { bookmarkIntervalMs: options.bookmarkIntervalMs } : {}),
  });
  const kc = new KubeConfig();
  kc.loadFromString(
    kubeconfigFor(
      server.url,
      TOKEN,
      server.certificateAuthority ? { certificateAuthority: server.certificateAuthority } : {},
    ),
  );
  const api = async (
    method: string,
    path: string,
    body?: unknown,
    contentType = "application/json",
  ): Promise<ApiAnswer> => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        ...(body === undefined ? {} : { "content-type": contentType }),
      },
      ...(body === undefined
        ? {}
        : { body: typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = { text };
    }
    return { status: res.status, body: json, retryAfter: res.headers.get("retry-after") };
  };
  return { store, podIO, faults, server, kc, api, close: () => server.close() };
}

/** A minimal pod manifest. */
export function pod(
  name: string,
  extra: Partial<StoredObject> & { labels?: Record<string, string> } = {},
): Record<string, unknown> {
  const { labels, ...rest } = extra;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, ...(labels ? { labels } : {}) },
    spec: { containers: [{ name: "app", image: "busybox" }] },
    ...rest,
  };
}
