/** resolveVeleroRestoreHooks: post-restore exec hooks for the restored pods, as runner hook specs. */
import type { Cluster } from "@quiesce/kube";
import type { HookSpec, HookSubject } from "../hook-spec.js";
import { type PodChain, veleroExecHookSpec } from "./exec-hook.js";
import { podsIncluded } from "./glob.js";
import type { LoadedVeleroHooks } from "./load.js";
import type { VeleroPlannedHook, VeleroSkippedPod } from "./resolve-backup.js";
import { VELERO_DEFAULTS, type VeleroRestoreExec } from "./schema.js";
import { containerFor, invalidAnnotationsReason, podsInScope } from "./selection.js";

/** A restore hook planned for a pod, with its wait settings. */
export interface VeleroPlannedRestoreHook extends Omit<VeleroPlannedHook, "phase"> {
  phase: "post";
  execTimeout: string;
  waitTimeout: string;
  waitForReady: boolean;
}

/** What {@link resolveVeleroRestoreHooks} returns: hand `post` to `runWithHooks`. */
export interface ResolvedVeleroRestoreHooks {
  subject: HookSubject;
  post: HookSpec[];
  planned: VeleroPlannedRestoreHook[];
  skipped: VeleroSkippedPod[];
  /** Restore `init` hooks met on the way: validated, but quiesce does not restore pods. */
  unsupported: Array<{ rule: string; index: number; message: string }>;
}

/** Options of {@link resolveVeleroRestoreHooks}. */
export interface ResolveVeleroRestoreOptions {
  cluster: Cluster;
  /** What {@link loadVeleroHooks} returned (its `restore`; annotations are read from the live pods). */
  hooks: Pick<LoadedVeleroHooks, "restore">;
  /** The namespaces restored into; default: the cluster's namespaces the Restore includes. */
  namespaces?: readonly string[];
  /** Upper bound of a hook's wait when it gives no waitTimeout (Velero would wait forever). Default "10m". */
  defaultWaitTimeout?: string;
  outputLimitBytes?: number;
  signal?: AbortSignal;
}

/**
 * Resolves Velero restore hooks once the host has restored the objects: the pods of the included
 * namespaces that each `spec.hooks.resources[]` rule (namespaces, resources, labelSelector)
 * matches, and pods' own `post.hook.restore.velero.io/*` annotations, which replace the rules'
 * hooks for that pod. Each exec hook becomes one `post` hook spec that waits (watch-driven) up to
 * `waitTimeout` for its container to be running — and Ready with `waitForReady` — then runs the
 * command with `execTimeout` (default 30s). Velero waits forever without a waitTimeout; quiesce
 * waits at most `defaultWaitTimeout` (10m). Hooks of a pod run in order; after an `onError: Fail`
 * hook fails the pod's later hooks are not run; `Continue` records the failure and goes on.
 * `init` hooks are reported in `unsupported`: they add init containers to pods as Velero restores
 * them, which a host that restores its own objects must do itself.
 *
 * @example
 * ```ts
 * await restoreObjects(); // the host's restore
 * const velero = await resolveVeleroRestoreHooks({ cluster, hooks: loadVeleroHooks(restoreYaml) });
 * const result = await runWithHooks(
 *   { cluster, subject: velero.subject, hooks: { post: velero.post } },
 *   async () => ({ restored: true }),
 * );
 * ```
 */
export async function resolveVeleroRestoreHooks(
  options: ResolveVeleroRestoreOptions,
): Promise<ResolvedVeleroRestoreHooks> {
  const { cluster } = options;
  const restore = options.hooks.restore;
  const call = options.signal ? { signal: options.signal } : {};
  const out: ResolvedVeleroRestoreHooks = {
    subject: {
      kind: "Restore",
      name: restore?.name ?? "velero-restore",
      namespace: restore?.namespace ?? "velero",
    },
    post: [],
    planned: [],
    skipped: [],
    unsupported: [],
  };
  const rules = (restore?.resources ?? []).filter((r) =>
    podsIncluded(r.includedResources, r.excludedResources),
  );
  for (const rule of rules) {
    rule.postHooks.forEach((h, index) => {
      if ("init" in h) {
        out.unsupported.push({
          rule: rule.name,
          index,
          message: `${rule.name}.postHooks[${index}].init: restore init hooks add init containers to restored pods; quiesce does not restore pods, so it cannot run them`,
        });
      }
    });
  }
  const defaultWait = options.defaultWaitTimeout ?? VELERO_DEFAULTS.restoreWaitTimeout;
  for await (const { namespace, pod, name, rules: podRules, annotations } of podsInScope(
    cluster,
    restore,
    options.namespaces,
    call,
  )) {
    const fromAnnotation = annotations.hooks.restore;
    const list: Array<{ exec: VeleroRestoreExec; source: string; index: number }> = fromAnnotation
      ? [{ exec: fromAnnotation, source: "<from-annotation>", index: 0 }]
      : podRules.flatMap((r) =>
          r.postHooks.flatMap((h, index) => ("exec" in h ? [{ exec: h.exec, source: r.name, index }] : [])),
        );
    if (list.length === 0) {
      if (annotations.errors.length > 0) {
        out.skipped.push({ namespace, pod: name, reason: invalidAnnotationsReason(annotations.errors) });
      }
      continue;
    }
    if (pod.metadata?.deletionTimestamp) {
      out.skipped.push({ namespace, pod: name, reason: "pod is being deleted" });
      continue;
    }
    const chain: PodChain = { failed: undefined };
    for (const { exec, source, index } of list) {
      const container = containerFor(pod, exec.container);
      const hookName = `${namespace}/${name} ${source}.postHooks[${index}]`;
      const onError = exec.onError ?? "Fail";
      const execTimeout = exec.execTimeout ?? VELERO_DEFAULTS.restoreExecTimeout;
      const waitTimeout = exec.waitTimeout ?? defaultWait;
      const waitForReady = exec.waitForReady ?? false;
      out.post.push(
        veleroExecHookSpec({
          cluster,
          name: hookName,
          namespace,
          pod: name,
          container,
          command: exec.command,
          onError,
          execTimeout,
          waitTimeout,
          waitForReady,
          chain,
          ...(options.outputLimitBytes !== undefined ? { outputLimitBytes: options.outputLimitBytes } : {}),
        }),
      );
      out.planned.push({
        phase: "post",
        name: hookName,
        namespace,
        pod: name,
        container,
        command: [...exec.command],
        onError,
        source,
        execTimeout,
        waitTimeout,
        waitForReady,
      });
    }
  }
  return out;
}
