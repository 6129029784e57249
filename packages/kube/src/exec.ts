/** `Cluster.exec`: check the pod, pick the container, run the command over the exec channel, keep the tails. */
import type { V1Pod } from "@kubernetes/client-node";
import {
  createDeadline,
  ErrorCodes,
  type LinkedSignal,
  linkSignals,
  QuiesceError,
  throwIfAborted,
} from "@quiesce/core";
import type { ContainerRef, ExecOptions, ExecResult } from "./cluster.js";
import { ExecTimeoutError, KubeApiError, type RequestFacts } from "./errors.js";
import { CONNECTION_LOST, runExecChannel } from "./exec-channel.js";
import { type PodCheck, startPodCheck } from "./exec-pod-check.js";
import type { Objects } from "./objects.js";
import { PODS } from "./paths.js";
import { execOutcome } from "./status.js";
import { TailBuffer } from "./tail-buffer.js";
import type { Transport } from "./transport.js";

/** Default time limit of an exec: 10 minutes. */
export const DEFAULT_EXEC_TIMEOUT_MS = 10 * 60_000;
/** Default bytes of stdout and of stderr kept: 1 MiB each. */
export const DEFAULT_CAPTURE_BYTES = 1024 * 1024;

/** The annotation naming a pod's default container (kubectl's convention). */
export const DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";

/**
 * The container an exec targets: the requested one, else the pod's default-container annotation,
 * else its first container. Throws QUIESCE_KUBE_CONTAINER_NOT_FOUND naming the containers that exist.
 */
export function resolveContainer(pod: V1Pod, requested?: string): string {
  // The API server execs into any container of the pod: init containers too (a running sidecar).
  const names = [
    ...(pod.spec?.containers ?? []).map((c) => c.name),
    ...(pod.spec?.initContainers ?? []).map((c) => c.name),
    ...(pod.spec?.ephemeralContainers ?? []).map((c) => c.name),
  ];
  const annotated = pod.metadata?.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  const wanted =
    requested || (annotated && names.includes(annotated) ? annotated : pod.spec?.containers?.[0]?.name);
  if (!wanted || !names.includes(wanted)) {
    throw new QuiesceError(
      ErrorCodes.KUBE_CONTAINER_NOT_FOUND,
      `container "${wanted ?? ""}" not found in pod ${pod.metadata?.namespace}/${pod.metadata?.name} (containers: ${names.join(", ") || "none"})`,
      {
        details: {
          namespace: pod.metadata?.namespace,
          pod: pod.metadata?.name,
          container: wanted,
          containers: names,
        },
      },
    );
  }
  return wanted;
}

/** Throws QUIESCE_KUBE_POD_NOT_RUNNING unless the pod is Running and the container is not stopped. */
export function assertRunning(pod: V1Pod, container: string): void {
  const phase = pod.status?.phase ?? "Unknown";
  const state = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find(
    (s) => s.name === container,
  )?.state;
  const why =
    pod.metadata?.deletionTimestamp !== undefined && phase !== "Running"
      ? "is being deleted"
      : phase !== "Running"
        ? `is ${phase}`
        : state && !state.running
          ? `has container "${container}" ${state.waiting ? `waiting (${state.waiting.reason ?? "?"})` : "terminated"}`
          : undefined;
  if (why) {
    throw new QuiesceError(
      ErrorCodes.KUBE_POD_NOT_RUNNING,
      `cannot exec in pod ${pod.metadata?.namespace}/${pod.metadata?.name}: it ${why}`,
      { details: { namespace: pod.metadata?.namespace, pod: pod.metadata?.name, container, phase } },
    );
  }
}

// Query values as URLSearchParams writes them (application/x-www-form-urlencoded), without building
// one per exec: a value of only these characters is written as is, any other goes through it.
const FORM_SAFE = /^[A-Za-z0-9*._-]*$/;
const formValue = (value: string) =>
  FORM_SAFE.test(value) ? value : new URLSearchParams([["", value]]).toString().slice(1);

function execPath(ref: ContainerRef, container: string, command: readonly string[], stdin: boolean): string {
  let q = `stdout=true&stderr=true&stdin=${stdin}&tty=false&container=${formValue(container)}`;
  for (const arg of command) q += `&command=${formValue(arg)}`;
  return `/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/pods/${encodeURIComponent(ref.pod)}/exec?${q}`;
}

/** Runs `command` in a container; see {@link import("./cluster.js").Cluster.exec}. */
export async function execInContainer(
  transport: Transport,
  objects: Objects,
  ref: ContainerRef,
  command: readonly string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  if (command.length === 0) {
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      "exec needs a command (an argv array with at least one element)",
    );
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
  const deadline = createDeadline(
    { signal: options.signal, timeoutMs },
    `exec in ${ref.namespace}/${ref.pod}`,
  );
  const started = performance.now();
  const stdout = new TailBuffer(options.stdoutLimitBytes ?? DEFAULT_CAPTURE_BYTES);
  const stderr = new TailBuffer(options.stderrLimitBytes ?? DEFAULT_CAPTURE_BYTES);
  let container = ref.container ?? "";
  let running = false;
  // Fails the session when its pod stops running under it (a lost node answers no output, ever).
  const podTroubles = new AbortController();
  let podCheck: PodCheck | undefined;
  let session: LinkedSignal | undefined;
  const facts: RequestFacts = {
    verb: "exec",
    resource: "pods/exec",
    namespace: ref.namespace,
    name: ref.pod,
  };
  try {
    const pod = heldPod(options.pod, ref) ?? (await fetchPod(objects, ref, deadline.signal));
    container = resolveContainer(pod, ref.container);
    assertRunning(pod, container);
    // The upgrade is not charged to the request rate limiter (client-go's exec does not go through
    // it either): a session is long-lived and bounded by the caller's exec concurrency instead.
    const connection = await transport.execConnection(
      execPath(ref, container, command, options.stdin !== undefined),
    );
    throwIfAborted(deadline.signal);
    running = true;
    const { onStdout, onStderr } = options;
    const checkEvery = transport.execHeartbeat?.podCheckIntervalMs ?? 0;
    if (checkEvery > 0) {
      const restarts = pod.status?.containerStatuses?.find((s) => s.name === container)?.restartCount;
      podCheck = startPodCheck(objects, ref, container, command, checkEvery, restarts, (err) =>
        podTroubles.abort(err),
      );
    }
    // The channel's chunks are views of a reused read buffer: the tails copy what they keep, and
    // callbacks get copies unless they asked for the views.
    const give = options.reuseChunks ? (chunk: Buffer) => chunk : (chunk: Buffer) => Buffer.from(chunk);
    session = linkSignals([deadline.signal, podTroubles.signal]);
    const end = await runExecChannel({
      connection,
      ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
      onStdout: (chunk) => {
        stdout.write(chunk);
        onStdout?.(give(chunk));
      },
      onStderr: (chunk) => {
        stderr.write(chunk);
        onStderr?.(give(chunk));
      },
      signal: session.signal,
      facts,
      protocols: transport.execProtocols,
      heartbeat: transport.execHeartbeat,
    });
    const outcome = execOutcome(end.status);
    if (outcome.kind === "failed") {
      throw new KubeApiError(
        facts,
        { status: outcome.status },
        {
          details: {
            container,
            ...(await podFate(objects, ref)),
            stdout: stdout.text(),
            stderr: stderr.text(),
          },
        },
      );
    }
    if (outcome.exitCode >= 128) {
      // Killed by a signal: when the pod went away under the command, say so rather than report a bare 137.
      const fate = await podFate(objects, ref);
      if (fate.podGone) {
        throw new QuiesceError(
          ErrorCodes.KUBE_POD_NOT_RUNNING,
          `pod ${ref.namespace}/${ref.pod} was deleted while ${JSON.stringify(command)} ran (exit code ${outcome.exitCode})`,
          {
            details: {
              namespace: ref.namespace,
              pod: ref.pod,
              container,
              exitCode: outcome.exitCode,
              ...fate,
              stdout: stdout.text(),
              stderr: stderr.text(),
            },
          },
        );
      }
    }
    return {
      pod: ref.pod,
      container,
      exitCode: outcome.exitCode,
      stdout: stdout.text(),
      stderr: stderr.text(),
      stdoutTruncated: stdout.truncated,
      stderrTruncated: stderr.truncated,
      stdoutDroppedBytes: stdout.droppedBytes,
      stderrDroppedBytes: stderr.droppedBytes,
      durationMs: performance.now() - started,
    };
  } catch (err) {
    if (deadline.timedOut && running) {
      throw new ExecTimeoutError(
        command,
        timeoutMs,
        {
          pod: ref.pod,
          container,
          stdout: stdout.text(),
          stderr: stderr.text(),
          stdoutDroppedBytes: stdout.droppedBytes,
          stderrDroppedBytes: stderr.droppedBytes,
          durationMs: performance.now() - started,
        },
        err,
      );
    }
    if (options.signal?.aborted) throw options.signal.reason;
    if (podTroubles.signal.aborted) {
      const trouble = podTroubles.signal.reason as QuiesceError;
      throw new QuiesceError(trouble.code, trouble.message, {
        cause: err === trouble ? undefined : err,
        details: { ...trouble.details, command: [...command], stdout: stdout.text(), stderr: stderr.text() },
      });
    }
    if (err instanceof KubeApiError && err.details.why === "exec stream ended without a status") {
      // Say whether the pod went away under the command: the most common reason for a dropped stream.
      const fate = await podFate(objects, ref);
      throw new KubeApiError(
        facts,
        { text: `exec stream ended without a status${fate.podGone ? " (the pod was deleted)" : ""}` },
        {
          cause: err,
          details: { ...err.details, container, ...fate, stdout: stdout.text(), stderr: stderr.text() },
        },
      );
    }
    if (err instanceof KubeApiError && err.details.why === CONNECTION_LOST) {
      // A silent connection often means a lost node: its pods then show phase Unknown or a deletion.
      const fate = await podFate(objects, ref);
      throw new KubeApiError(
        facts,
        { text: String(err.details.explanation) },
        {
          code: err.code,
          cause: err,
          details: {
            ...err.details,
            command: [...command],
            container,
            ...fate,
            stdout: stdout.text(),
            stderr: stderr.text(),
          },
        },
      );
    }
    throw err;
  } finally {
    podCheck?.stop();
    session?.dispose();
    deadline.dispose();
  }
}

// A pod object the caller holds counts only if it names the target (a mismatch falls back to a GET).
function heldPod(pod: V1Pod | undefined, ref: ContainerRef): V1Pod | undefined {
  return pod?.metadata?.name === ref.pod && (pod.metadata.namespace ?? ref.namespace) === ref.namespace
    ? pod
    : undefined;
}

async function fetchPod(objects: Objects, ref: ContainerRef, signal: AbortSignal): Promise<V1Pod> {
  return (await objects.get(
    { ...PODS, namespace: ref.namespace, name: ref.pod },
    { signal },
  )) as unknown as V1Pod;
}

async function podFate(
  objects: Objects,
  ref: ContainerRef,
): Promise<{ podGone?: boolean; podPhase?: string }> {
  try {
    const pod = (await objects.find(
      { ...PODS, namespace: ref.namespace, name: ref.pod },
      { timeoutMs: 5_000 },
    )) as V1Pod | undefined;
    if (!pod) return { podGone: true };
    return {
      podGone: pod.metadata?.deletionTimestamp !== undefined,
      podPhase: pod.status?.phase ?? "Unknown",
    };
  } catch {
    return {};
  }
}
