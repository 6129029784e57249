/**
 * The local kubelet: admits pods, "pulls" images, starts containers through the runtime, reports
 * phases and readiness, restarts per restartPolicy, and terminates deleted pods gracefully.
 */
import type { Logger } from "@quiesce/core";
import type { ObjectStore, StoredObject } from "../api/seams.js";
import { LogBuffer } from "../runtime/log-buffer.js";
import type { PodSandbox, Sandboxes } from "../runtime/sandboxes.js";
import type { ContainerRuntime } from "../runtime/types.js";
import { recordEvent } from "./events.js";
import { failImagePull, failInvalidImage, isValidImageReference } from "./image-pull.js";
import { runInitContainers } from "./init-containers.js";
import { markNodeBack, markNodeLost, type NodeFaults, UNREACHABLE_NODE_MESSAGE } from "./node-faults.js";
import { PodGoneError, StalePod } from "./pod-errors.js";
import { podContainers, podInfo, podInitContainers } from "./pod-spec.js";
import { containerStatus, containerStatuses, setCondition, statusOf, syncReadiness } from "./pod-status.js";
import { markUnschedulable, mountsClaim, unboundClaimsReason, unschedulableReason } from "./scheduler.js";
import { type CoreTypes, field, podPhase, timestamp, tolerate } from "./util.js";
import { createWorkQueue, keyOf, splitKey, type WorkQueue } from "./work-queue.js";

export interface PodControllerOptions {
  podStartDelayMs: number;
  readyDelayMs: number;
  terminationDelayMs: number;
  podIP: string;
  hostIP: string;
  nodeName: string;
  /** True for images that cannot be pulled (the pod stays Pending with ErrImagePull/ImagePullBackOff). */
  imagePullFailure: (image: string) => boolean;
  /** Bytes of log kept per container. */
  logLimitBytes: number;
  /** First delay before restarting a container (doubles per restart, capped at 5 s). */
  restartBackoffMs: number;
  logger: Logger;
  /** Fault injection: a lost node, deletions that stick in Terminating. */
  faults?: NodeFaults | undefined;
}

interface Track {
  uid: string;
  timers: Set<NodeJS.Timeout>;
  sandbox?: PodSandbox | undefined;
  terminating: boolean;
  /** Not scheduled yet: a claim it mounts is not Bound (admission is tried again when it is). */
  waitingForClaims?: boolean;
}

const COMPONENT = "kubelet";

/** How long a deleted pod's processes get to end after their signal aborted. */
const STOP_WAIT_MS = 2_000;

export class PodController {
  readonly #store: ObjectStore;
  readonly #types: CoreTypes;
  readonly #runtime: ContainerRuntime;
  readonly #sandboxes: Sandboxes;
  readonly #options: PodControllerOptions;
  readonly #tracks = new Map<string, Track>();
  readonly #queue: WorkQueue;
  readonly #pending = new Set<Promise<unknown>>();
  #unwatch: (() => void) | undefined;
  #stopped = false;
  /** The node is lost (fault injection): this kubelet neither acts nor reports. */
  #lost = false;

  constructor(
    store: ObjectStore,
    types: CoreTypes,
    runtime: ContainerRuntime,
    sandboxes: Sandboxes,
    options: PodControllerOptions,
  ) {
    this.#store = store;
    this.#types = types;
    this.#runtime = runtime;
    this.#sandboxes = sandboxes;
    this.#options = options;
    this.#queue = createWorkQueue("pod", (key) => this.#reconcile(key), options.logger);
  }

  start(): void {
    const { items, resourceVersion } = this.#store.list(this.#types.pods, undefined);
    for (const pod of items) this.#queue.enqueue(keyOf(pod.metadata.namespace, pod.metadata.name));
    // Graceful deletion: the store marks a deleted pod and tells us; we stop it, then remove it.
    this.#store.setGracefulDeletionHook?.((pod) =>
      this.#queue.enqueue(keyOf(pod.metadata.namespace, pod.metadata.name)),
    );
    const unwatchPods = this.#store.watch(this.#types.pods, undefined, resourceVersion, (event) => {
      this.#queue.enqueue(keyOf(event.object.metadata.namespace, event.object.metadata.name));
    });
    // A claim that becomes Bound lets the pods waiting for it be scheduled.
    const unwatchClaims = this.#store.watch(this.#types.pvcs, undefined, resourceVersion, (event) => {
      const { namespace, name } = event.object.metadata;
      for (const [key, track] of this.#tracks) {
        if (!track.waitingForClaims || splitKey(key).namespace !== namespace) continue;
        const pod = this.#store.get(this.#types.pods, namespace, splitKey(key).name);
        if (pod && mountsClaim(pod, name)) this.#queue.enqueue(key);
      }
    });
    const unwatchFaults = this.#options.faults?.onNodeChange(() => this.#nodeChanged()) ?? (() => {});
    this.#unwatch = () => {
      unwatchPods();
      unwatchClaims();
      unwatchFaults();
    };
  }

  /** Stops every container and exec session; resolves once they have ended. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unwatch?.();
    this.#store.setGracefulDeletionHook?.(undefined);
    this.#queue.stop();
    const teardowns = [...this.#tracks.entries()].map(([key, track]) => this.#teardown(key, track));
    await Promise.all([...teardowns, ...this.#pending]);
  }

  #reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const pod = this.#store.get(this.#types.pods, namespace, name);
    const track = this.#tracks.get(key);
    if (track && (!pod || pod.metadata.uid !== track.uid)) void this.#teardown(key, track);
    if (!pod) return;
    const current = this.#tracks.get(key);
    if (this.#lost) {
      // An unreachable node: new pods are not scheduled, nothing else happens.
      const conditions = field<{ type: string; message?: string }[]>(pod, "status", "conditions") ?? [];
      const marked = conditions.some(
        (c) => c.type === "PodScheduled" && c.message === UNREACHABLE_NODE_MESSAGE,
      );
      if (
        !current &&
        !marked &&
        !pod.metadata.deletionTimestamp &&
        field<string>(pod, "spec", "nodeName") === undefined
      )
        tolerate(() =>
          this.#store.mutate(this.#types.pods, namespace, name, (p) =>
            markUnschedulable(p, UNREACHABLE_NODE_MESSAGE),
          ),
        );
      return;
    }
    if (
      pod.metadata.deletionTimestamp &&
      this.#options.faults?.holdsTermination({ namespace, name, node: this.#options.nodeName })
    ) {
      return; // the deletion sticks: containers keep running, the pod stays Terminating
    }
    if (pod.metadata.deletionTimestamp) {
      if (current && !current.terminating) this.#terminate(key, current, pod);
      else if (!current) this.#finishDeletion(pod);
      return;
    }
    if (current?.waitingForClaims) {
      this.#tracks.delete(key);
      this.#admit(key, pod);
    } else if (!current) this.#admit(key, pod);
  }

  #timer(track: Track, ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      track.timers.delete(timer);
      if (!this.#stopped && !track.terminating) fn();
    }, ms);
    track.timers.add(timer);
  }

  /** A node was lost or came back, or held deletions changed: report it, and look at every pod again. */
  #nodeChanged(): void {
    const lost = this.#options.faults?.isNodeLost(this.#options.nodeName) ?? false;
    if (lost !== this.#lost) {
      this.#lost = lost;
      for (const [key, track] of this.#tracks) {
        const { namespace, name } = splitKey(key);
        const entry = track.sandbox;
        tolerate(() =>
          this.#store.mutate(this.#types.pods, namespace, name, (p) => {
            if (p.metadata.uid !== track.uid) throw new StalePod();
            if (lost) markNodeLost(p);
            else markNodeBack(p, (c) => entry?.containers.get(c)?.state === "running");
          }),
        );
      }
    }
    if (this.#stopped) return;
    for (const pod of this.#store.list(this.#types.pods, undefined).items)
      this.#queue.enqueue(keyOf(pod.metadata.namespace, pod.metadata.name));
  }

  /** Writes the pod if it is still the same pod; a deleted or replaced pod is left alone. */
  #update(
    namespace: string,
    name: string,
    uid: string,
    change: (pod: StoredObject) => void,
  ): StoredObject | undefined {
    // A lost node's kubelet reports nothing until the node comes back.
    if (this.#stopped || this.#lost) return undefined;
    let same = true;
    const result = tolerate(() =>
      this.#store.mutate(this.#types.pods, namespace, name, (pod) => {
        if (pod.metadata.uid !== uid) {
          same = false;
          throw new StalePod();
        }
        change(pod);
      }),
    );
    return same ? result : undefined;
  }

  #event(pod: StoredObject, type: "Normal" | "Warning", reason: string, message: string): void {
    recordEvent(this.#store, this.#types, pod, type, reason, message, COMPONENT);
  }

  #admit(key: string, pod: StoredObject): void {
    // Like a real kubelet, only pods for this node: a pod bound elsewhere keeps the status it is given.
    const boundTo = field<string>(pod, "spec", "nodeName");
    if (boundTo !== undefined && boundTo !== this.#options.nodeName) return;
    const phase = podPhase(pod);
    const track: Track = { uid: pod.metadata.uid, timers: new Set(), terminating: false };
    this.#tracks.set(key, track);
    if (phase === "Succeeded" || phase === "Failed") return; // ended before we saw it: nothing to run
    const { namespace = "default", name } = pod.metadata;
    const { nodeName, hostIP } = this.#options;
    const unbound = unboundClaimsReason(pod, (claim) => this.#store.get(this.#types.pvcs, namespace, claim));
    const unschedulable = unschedulableReason(pod, nodeName) ?? unbound;
    if (unbound !== undefined && unschedulable === unbound) track.waitingForClaims = true;
    if (unschedulable !== undefined) {
      const marked = this.#update(namespace, name, track.uid, (p) => markUnschedulable(p, unschedulable));
      if (marked && marked.metadata.resourceVersion !== pod.metadata.resourceVersion)
        recordEvent(
          this.#store,
          this.#types,
          marked,
          "Warning",
          "FailedScheduling",
          unschedulable,
          "default-scheduler",
        );
      return;
    }
    const updated = this.#update(namespace, name, track.uid, (p) => {
      const spec = (p as { spec?: Record<string, unknown> }).spec;
      if (spec && spec.nodeName === undefined) spec.nodeName = nodeName;
      const status = statusOf(p);
      status.phase = "Pending";
      status.hostIP = hostIP;
      status.hostIPs = [{ ip: hostIP }];
      status.qosClass = "BestEffort";
      status.startTime = timestamp();
      setCondition(p, "PodScheduled", true);
      for (const c of podContainers(p)) containerStatus(p, c.name, c.image ?? "");
    });
    if (!updated) return;
    this.#event(updated, "Normal", "Scheduled", `Successfully assigned ${namespace}/${name} to ${nodeName}`);
    const hooks = {
      update: (change: (pod: StoredObject) => void) => this.#update(namespace, name, track.uid, change),
      event: (p: StoredObject, type: "Normal" | "Warning", reason: string, message: string) =>
        this.#event(p, type, reason, message),
      later: (ms: number, fn: () => void) => this.#timer(track, ms, fn),
    };
    const invalid = podContainers(updated).filter((c) => c.image && !isValidImageReference(c.image));
    if (invalid.length > 0) {
      failInvalidImage(updated, invalid, hooks);
      return;
    }
    const bad = podContainers(updated).filter((c) => this.#options.imagePullFailure(c.image ?? ""));
    if (bad.length > 0) {
      failImagePull(updated, bad, Math.max(1, this.#options.podStartDelayMs), hooks);
      return;
    }
    this.#timer(track, this.#options.podStartDelayMs, () => void this.#startContainers(key, track));
  }

  async #startContainers(key: string, track: Track): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pod = this.#store.get(this.#types.pods, namespace, name);
    if (!pod || pod.metadata.uid !== track.uid || track.terminating) return;
    const info = podInfo(this.#store, pod);
    const sandbox: PodSandbox = {
      uid: track.uid,
      info,
      controller: new AbortController(),
      containers: new Map(
        [...(info.initContainers ?? []), ...info.containers].map((c) => [
          c.container,
          { info: c, log: new LogBuffer(this.#options.logLimitBytes), state: "waiting" },
        ]),
      ),
      processes: new Set(),
    };
    track.sandbox = sandbox;
    this.#sandboxes.set(sandbox);
    try {
      const prepared = this.#runtime.startPod?.(info);
      if (prepared) await prepared;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const failed = this.#update(namespace, name, track.uid, (p) => {
        for (const c of containerStatuses(p))
          c.state = { waiting: { reason: "CreateContainerError", message } };
      });
      if (failed) this.#event(failed, "Warning", "Failed", `Error: ${message}`);
      return;
    }
    if (track.terminating || this.#stopped) return;
    if ((info.initContainers ?? []).length > 0) {
      const sidecars = new Set(
        podInitContainers(pod)
          .filter((c) => (c as { restartPolicy?: string }).restartPolicy === "Always")
          .map((c) => c.name),
      );
      const outcome = await runInitContainers(
        this.#runtime,
        sandbox,
        field<string>(pod, "spec", "restartPolicy") ?? "Always",
        this.#options.restartBackoffMs,
        (change) => this.#update(namespace, name, track.uid, change),
        sidecars,
      );
      if (outcome !== "done" || track.terminating || this.#stopped) return;
    }
    const now = timestamp();
    const { podIP } = this.#options;
    const updated = this.#update(namespace, name, track.uid, (p) => {
      const status = statusOf(p);
      status.phase = "Running";
      status.podIP = podIP;
      status.podIPs = [{ ip: podIP }];
      setCondition(p, "Initialized", true);
      for (const c of podContainers(p)) {
        const s = containerStatus(p, c.name, c.image ?? "");
        s.state = { running: { startedAt: now } };
        s.started = true;
        s.containerID = `quiesce://${track.uid}/${c.name}`;
        s.imageID = c.image ?? "";
      }
      syncReadiness(p);
    });
    if (!updated) return;
    for (const c of info.containers) {
      this.#event(updated, "Normal", "Pulled", `Container image "${c.image}" already present on machine`);
      this.#event(updated, "Normal", "Created", `Created container ${c.container}`);
      this.#event(updated, "Normal", "Started", `Started container ${c.container}`);
    }
    for (const c of info.containers) this.#launch(key, track, sandbox, c.container);
  }

  #launch(key: string, track: Track, sandbox: PodSandbox, container: string): void {
    const entry = sandbox.containers.get(container);
    if (!entry) return;
    entry.state = "running";
    const append = (chunk: Uint8Array) => entry.log.append(chunk);
    const process = this.#runtime.run(
      entry.info,
      { stdout: append, stderr: append },
      sandbox.controller.signal,
    );
    this.#timer(track, this.#options.readyDelayMs, () => this.#markReady(key, track, container));
    if (!process) return; // nothing to run: the container runs until the pod is deleted
    this.#sandboxes.track(sandbox, process);
    process.then(
      (exit) => this.#exited(key, track, sandbox, container, exit.exitCode),
      (err: unknown) => {
        entry.log.append(
          new TextEncoder().encode(`quiesce local cluster: container failed: ${String(err)}\n`),
        );
        this.#exited(key, track, sandbox, container, 128);
      },
    );
  }

  #markReady(key: string, track: Track, container: string): void {
    if (track.sandbox?.containers.get(container)?.state !== "running") return;
    const { namespace, name } = splitKey(key);
    this.#update(namespace, name, track.uid, (p) => {
      const s = containerStatuses(p).find((c) => c.name === container);
      if (s?.state.running) s.ready = true;
      syncReadiness(p);
    });
  }

  #exited(key: string, track: Track, sandbox: PodSandbox, container: string, exitCode: number): void {
    const entry = sandbox.containers.get(container);
    if (!entry || track.terminating || this.#stopped) return;
    entry.state = "terminated";
    entry.log.end();
    const { namespace, name } = splitKey(key);
    const pod = this.#store.get(this.#types.pods, namespace, name);
    if (!pod || pod.metadata.uid !== track.uid) return;
    const policy = field<string>(pod, "spec", "restartPolicy") ?? "Always";
    const restart = policy === "Always" || (policy === "OnFailure" && exitCode !== 0);
    const finishedAt = timestamp();
    let restarts = 0;
    this.#update(namespace, name, track.uid, (p) => {
      const s = containerStatuses(p).find((c) => c.name === container);
      if (!s) return;
      const startedAt = s.state.running?.startedAt ?? finishedAt;
      const terminated = {
        exitCode,
        reason: exitCode === 0 ? "Completed" : "Error",
        startedAt,
        finishedAt,
        containerID: s.containerID,
      };
      s.ready = false;
      s.started = false;
      restarts = s.restartCount;
      if (restart) {
        s.lastState = { terminated };
        s.state = { waiting: { reason: exitCode === 0 ? "Completed" : "CrashLoopBackOff" } };
      } else {
        s.state = { terminated };
        const all = containerStatuses(p);
        if (all.every((c) => c.state.terminated)) {
          statusOf(p).phase = all.every((c) => c.state.terminated?.exitCode === 0) ? "Succeeded" : "Failed";
        }
      }
      syncReadiness(p);
    });
    if (!restart) return;
    const delay = Math.min(5_000, this.#options.restartBackoffMs * 2 ** restarts);
    this.#timer(track, delay, () => {
      this.#update(namespace, name, track.uid, (p) => {
        const s = containerStatuses(p).find((c) => c.name === container);
        if (!s) return;
        s.restartCount += 1;
        s.started = true;
        s.state = { running: { startedAt: timestamp() } };
        syncReadiness(p);
      });
      entry.log.reopen();
      this.#launch(key, track, sandbox, container);
    });
  }

  #terminate(key: string, track: Track, pod: StoredObject): void {
    track.terminating = true;
    for (const timer of track.timers) clearTimeout(timer);
    track.timers.clear();
    for (const c of podContainers(pod)) this.#event(pod, "Normal", "Killing", `Stopping container ${c.name}`);
    const done = (async () => {
      await this.#stopSandbox(track);
      await new Promise((resolve) => setTimeout(resolve, this.#options.terminationDelayMs));
      if (this.#tracks.get(key) === track) this.#tracks.delete(key);
      if (!this.#stopped) this.#finishDeletion(pod);
    })();
    this.#pending.add(done);
    void done.finally(() => this.#pending.delete(done));
  }

  /** Removes a gracefully deleted pod once its containers have stopped. */
  #finishDeletion(pod: StoredObject): void {
    const { namespace = "default", name, uid } = pod.metadata;
    const live = this.#store.get(this.#types.pods, namespace, name);
    if (!live || live.metadata.uid !== uid) return;
    // `gracePeriodSeconds: 0` finishes a graceful deletion (the kubelet's final delete).
    const force: { propagationPolicy: "Background"; gracePeriodSeconds: number } = {
      propagationPolicy: "Background",
      gracePeriodSeconds: 0,
    };
    tolerate(() => this.#store.delete(this.#types.pods, namespace, name, force));
  }

  async #teardown(key: string, track: Track): Promise<void> {
    track.terminating = true;
    for (const timer of track.timers) clearTimeout(timer);
    track.timers.clear();
    if (this.#tracks.get(key) === track) this.#tracks.delete(key);
    await this.#stopSandbox(track);
  }

  async #stopSandbox(track: Track): Promise<void> {
    const sandbox = track.sandbox;
    if (!sandbox) return;
    track.sandbox = undefined;
    sandbox.controller.abort(new PodGoneError(sandbox.info.namespace, sandbox.info.pod));
    // A scripted handler that ignores its signal cannot be killed: stop waiting for it after a while.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(sandbox.processes),
      new Promise((resolve) => {
        timer = setTimeout(resolve, STOP_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
    for (const c of sandbox.containers.values()) {
      c.state = "terminated";
      c.log.end();
    }
    this.#sandboxes.remove(sandbox);
    try {
      await this.#runtime.stopPod?.(sandbox.info);
    } catch (err) {
      this.#options.logger.warn("local cluster: runtime failed to release a pod", {
        pod: sandbox.info.pod,
        error: String(err),
      });
    }
  }
}
