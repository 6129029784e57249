/** PodIO on top of a container runtime: what the API server's exec and log endpoints call. */
import { linkSignals } from "@quiesce/core";
import { ApiStatusError } from "../api/errors.js";
import type { ExecRequest, ExecStreams, LogRequest, PodIO, StoredObject } from "../api/seams.js";
import { KILLED_EXIT_CODE, write } from "./handlers.js";
import type { Sandboxes } from "./sandboxes.js";
import type { ContainerRuntime } from "./types.js";

/** How long an aborted exec may take to end before the session is given up as killed. */
const ABANDON_AFTER_MS = 2_000;

function containerNames(pod: StoredObject, withInit = false): string[] {
  const spec = pod.spec as
    | { containers?: { name: string }[]; initContainers?: { name: string }[] }
    | undefined;
  return [...(spec?.containers ?? []), ...(withInit ? (spec?.initContainers ?? []) : [])].map((c) => c.name);
}

function phaseOf(pod: StoredObject): string {
  return (pod.status as { phase?: string } | undefined)?.phase ?? "Pending";
}

function containerNotFound(request: { pod: StoredObject; container: string }): ApiStatusError {
  const name = request.pod.metadata.name;
  return new ApiStatusError(404, "NotFound", `container "${request.container}" not found in pod "${name}"`, {
    name: request.container,
    kind: "containers",
  });
}

/**
 * Creates the PodIO of a local cluster. Exec sessions end (exit 137) when their pod is deleted; logs
 * keep the newest bytes of each container's output within the pod controller's cap.
 */
export function createPodIO(sandboxes: Sandboxes, runtime: ContainerRuntime): PodIO {
  return {
    async exec(
      request: ExecRequest,
      streams: ExecStreams,
      signal: AbortSignal,
    ): Promise<{ exitCode: number }> {
      const { pod, container, namespace } = request;
      // The API server execs into any container of the pod, init containers too (a running sidecar).
      if (!containerNames(pod, true).includes(container)) throw containerNotFound(request);
      const phase = phaseOf(pod);
      if (phase === "Succeeded" || phase === "Failed") {
        throw ApiStatusError.badRequest(
          `cannot exec into a container in a completed pod; current phase is ${phase}`,
        );
      }
      const sandbox = sandboxes.get(namespace, pod.metadata.name, pod.metadata.uid);
      const entry = sandbox?.containers.get(container);
      if (!sandbox || !entry || sandbox.controller.signal.aborted) {
        throw ApiStatusError.badRequest(
          `pod "${pod.metadata.name}" is not running; current phase is ${phase}`,
        );
      }
      if (entry.state !== "running") {
        throw ApiStatusError.badRequest(
          `container "${container}" in pod "${pod.metadata.name}" is not running`,
        );
      }
      // Released when the command ends (AbortSignal.any would cost several microseconds per exec).
      const linked = linkSignals([signal, sandbox.controller.signal]);
      const session = linked.signal;
      const run = runtime.exec(
        entry.info,
        request.command,
        {
          stdin: streams.stdin,
          stdout: (chunk) => write(streams.stdout, chunk),
          stderr: (chunk) => write(streams.stderr, chunk),
        },
        session,
      );
      sandboxes.track(sandbox, run);
      // A handler that ignores its abort signal cannot be killed; the session still ends (as killed).
      const abandoned = new Promise<{ exitCode: number }>((resolve) => {
        const onAbort = () =>
          setTimeout(() => resolve({ exitCode: KILLED_EXIT_CODE }), ABANDON_AFTER_MS).unref();
        if (session.aborted) onAbort();
        else session.addEventListener("abort", onAbort, { once: true });
      });
      return Promise.race([run, abandoned]).finally(() => linked.dispose());
    },

    async logs(request: LogRequest, sink: (chunk: Uint8Array) => void, signal: AbortSignal): Promise<void> {
      const { pod, container, namespace } = request;
      if (!containerNames(pod, true).includes(container)) throw containerNotFound(request);
      const sandbox = sandboxes.get(namespace, pod.metadata.name, pod.metadata.uid);
      const log = sandbox?.containers.get(container)?.log;
      if (!log) {
        const phase = phaseOf(pod);
        if (phase === "Pending") {
          throw ApiStatusError.badRequest(
            `container "${container}" in pod "${pod.metadata.name}" is waiting to start: ContainerCreating`,
          );
        }
        return; // the pod ended before this cluster saw it run: an empty log
      }
      let budget = request.limitBytes ?? Number.POSITIVE_INFINITY;
      const emit = (chunk: Uint8Array): boolean => {
        if (budget <= 0) return false;
        const part = chunk.length > budget ? chunk.subarray(0, budget) : chunk;
        budget -= part.length;
        if (part.length > 0) sink(part);
        return budget > 0;
      };
      const more = emit(log.snapshot(request.tailLines));
      if (!request.follow || !more || log.ended || signal.aborted) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          unsubscribe();
          signal.removeEventListener("abort", done);
          resolve();
        };
        const unsubscribe = log.subscribe((chunk) => {
          if (chunk === undefined || !emit(chunk)) done();
        });
        signal.addEventListener("abort", done, { once: true });
      });
    },
  };
}
