/** resolveVeleroRestoreHooks: post-restore exec hooks for the restored pods, as Velero hook specs. */
import type { Cluster, V1Pod } from "@quiesce/kube";
import type { HookSubject } from "../hook-spec.js";
import type { LoadedVeleroHooks, VeleroRestoreRule } from "./load.js";
import type { VeleroPlannedHook, VeleroPodWarning, VeleroSkippedPod } from "./resolve-backup.js";
import { VELERO_DEFAULTS, type VeleroRestoreExec } from "./schema.js";
import { containerFor, podsInScope, uniqueHookName } from "./selection.js";
import type { VeleroHookSpec } from "./velero-hook-spec.js";

/** A restore hook planned for a pod, with its wait settings. */
export interface VeleroPlannedRestoreHook extends Omit<VeleroPlannedHook, "phase"> {
  phase: "post";
  execTimeout: string;
  /** Absent: the hook sets no waitTimeout of its own (the pod's wait is then bounded by `defaultWaitTimeout`). */
  waitTimeout: string | undefined;
  waitForReady: boolean;
}

/** What {@link resolveVeleroRestoreHooks} returns: hand `post` to `runWithHooks`. */
export interface ResolvedVeleroRestoreHooks {
  subject: HookSubject;
  post: VeleroHookSpec[];
  planned: VeleroPlannedRestoreHook[];
  /** Pods without a first container, and hooks dropped because the pod lacks their container. */
  skipped: VeleroSkippedPod[];
  warnings: VeleroPodWarning[];
  /** Restore `init` hooks met on the way: they apply to pods as they are created (see addVeleroInitContainers). */
  unsupported: Array<{ rule: string; index: number; message: string }>;
}

/** Options of {@link resolveVeleroRestoreHooks}. */
export interface ResolveVeleroRestoreOptions {
  cluster: Cluster;
  /** What {@link loadVeleroHooks} returned (its `restore`; annotations are read from the live pods). */
  hooks: Pick<LoadedVeleroHooks, "restore">;
  /** The namespaces restored into; default: the cluster's namespaces the Restore includes. */
  namespaces?: readonly string[];
  /** Upper bound of a pod's wait when one of its hooks gives no waitTimeout (Velero would wait forever). Default "10m". */
  defaultWaitTimeout?: string;
  signal?: AbortSignal;
}

function podHasContainer(pod: V1Pod, name: string): boolean {
  return (pod.spec?.containers ?? []).some((c) => c.name === name);
}

// GroupRestoreExecHooks: a hook from the pod's annotation replaces every spec hook; spec hooks of
// every matching rule, exec ones only.
function execsOf(
  rules: readonly VeleroRestoreRule[],
  annotation: VeleroRestoreExec | undefined,
): Array<{ exec: VeleroRestoreExec; rule: string; index: number }> {
  if (annotation) return [{ exec: annotation, rule: "<from-annotation>", index: 0 }];
  return rules.flatMap((r) =>
    r.postHooks.flatMap((h, index) => (h.exec ? [{ exec: h.exec, rule: r.name, index }] : [])),
  );
}

/**
 * Resolves Velero restore hooks once the host has restored the objects: the pods of the included
 * namespaces that each `spec.hooks.resources[]` rule matches by namespaces and labelSelector (a
 * restore rule's resource lists are not read: its hooks are for pods), and the pods' own
 * `post.hook.restore.velero.io/*` annotations, which replace the rules' hooks for that pod. Each
 * exec hook becomes one `post` {@link VeleroHookSpec}; `runWithHooks` runs them as Velero does —
 * every pod at once, each container's hooks in order once it is running (Ready with
 * `waitForReady`), `execTimeout` default 30s, `waitTimeout` per hook. A hook naming a container
 * the pod lacks is dropped with a warning, as Velero drops it. Velero waits forever when a hook
 * gives no waitTimeout; quiesce waits at most `defaultWaitTimeout` (10m). `init` hooks are listed
 * in `unsupported`: they apply to pod manifests as they are created (addVeleroInitContainers).
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
    warnings: [],
    unsupported: [],
  };
  for (const rule of restore?.resources ?? []) {
    rule.postHooks.forEach((h, index) => {
      if (h.init) {
        out.unsupported.push({
          rule: rule.name,
          index,
          message: `${rule.name}.postHooks[${index}].init: restore init hooks add init containers to pods as they are created; pass the host's pod manifests through addVeleroInitContainers`,
        });
      }
    });
  }
  const bound = options.defaultWaitTimeout ?? VELERO_DEFAULTS.restoreWaitTimeout;
  const everyRule = () => true;
  const used = new Set<string>();
  for await (const { namespace, pod, name, rules, annotations } of podsInScope(
    cluster,
    restore,
    options.namespaces,
    call,
    everyRule,
  )) {
    for (const w of annotations.warnings) out.warnings.push({ namespace, pod: name, ...w });
    for (const { exec, rule, index } of execsOf(rules, annotations.hooks.restore)) {
      const container = containerFor(pod, exec.container);
      const hookName = uniqueHookName(used, `${namespace}/${name} ${rule}.postHooks[${index}]`);
      if (!podHasContainer(pod, container)) {
        // wait_exec_hook_handler.go: "Pod %s does not have container %s: discarding post-restore exec hooks".
        const reason = `${hookName}: pod ${namespace}/${name} does not have container ${container}: hook discarded`;
        out.skipped.push({ namespace, pod: name, reason });
        out.warnings.push({ namespace, pod: name, path: hookName, message: reason });
        continue;
      }
      const execTimeout = exec.execTimeout ?? VELERO_DEFAULTS.restoreExecTimeout;
      const waitForReady = exec.waitForReady ?? false;
      out.post.push({
        name: hookName,
        velero: {
          operation: "restore",
          phase: "post",
          namespace,
          pod: name,
          container,
          command: [...exec.command],
          onError: exec.onError,
          timeout: execTimeout,
          waitTimeout: exec.waitTimeout,
          waitForReady,
          waitBound: bound,
          source: rule === "<from-annotation>" ? "annotation" : "spec",
          rule,
          index,
        },
      });
      out.planned.push({
        phase: "post",
        name: hookName,
        namespace,
        pod: name,
        container,
        command: [...exec.command],
        onError: exec.onError,
        source: rule,
        execTimeout,
        waitTimeout: exec.waitTimeout,
        waitForReady,
      });
    }
  }
  return out;
}
