/** resolveVeleroBackupHooks: the pods a Backup's hooks (and pods' hook annotations) cover, as runner hook specs. */
import type { Cluster } from "@quiesce/kube";
import type { HookSpec, HookSubject } from "../hook-spec.js";
import { type PodChain, veleroExecHookSpec } from "./exec-hook.js";
import type { LoadedVeleroHooks, VeleroBackupRule } from "./load.js";
import { VELERO_DEFAULTS, type VeleroBackupExec } from "./schema.js";
import { containerFor, invalidAnnotationsReason, podsInScope } from "./selection.js";

/** One hook as it will run: which pod, container and command, and where it came from. */
export interface VeleroPlannedHook {
  phase: "pre" | "post";
  name: string;
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  onError: "Fail" | "Continue";
  /** `annotation`, or the name of the `spec.hooks.resources[]` rule. */
  source: string;
}

/** A pod that was not given hooks, and why. */
export interface VeleroSkippedPod {
  namespace: string;
  pod: string;
  reason: string;
}

/** What {@link resolveVeleroBackupHooks} returns: hand `pre`/`post` to `runWithHooks`. */
export interface ResolvedVeleroBackupHooks {
  /** The Backup object as the session's subject (hooks target their own pods, not the subject). */
  subject: HookSubject;
  pre: HookSpec[];
  post: HookSpec[];
  planned: VeleroPlannedHook[];
  skipped: VeleroSkippedPod[];
}

/** Options of {@link resolveVeleroBackupHooks}. */
export interface ResolveVeleroBackupOptions {
  cluster: Cluster;
  /** What {@link loadVeleroHooks} returned (its `backup`; annotations are read from the live pods). */
  hooks: Pick<LoadedVeleroHooks, "backup">;
  /** The namespaces being backed up; default: the cluster's namespaces the Backup includes. */
  namespaces?: readonly string[];
  /** Bytes of stdout/stderr kept per hook. */
  outputLimitBytes?: number;
  signal?: AbortSignal;
}

function execs(
  phase: "pre" | "post",
  rules: readonly VeleroBackupRule[],
  annotation: VeleroBackupExec | undefined,
): Array<{ exec: VeleroBackupExec; source: string; index: number }> {
  // An annotation hook on the pod replaces the spec hooks of that phase for that pod, as in Velero.
  if (annotation) return [{ exec: annotation, source: "<from-annotation>", index: 0 }];
  return rules.flatMap((r) => r[phase].map((exec, index) => ({ exec, source: r.name, index })));
}

/**
 * Resolves Velero backup hooks against a cluster: the namespaces the Backup includes (glob
 * patterns matched against the cluster's namespaces, or `namespaces`), every Running pod there
 * that its own label selector(s) cover, the rules whose namespaces, resources (pods) and
 * labelSelector match each pod, and the pod's own `pre.hook.backup.velero.io/*` /
 * `post.hook.backup.velero.io/*` annotations, which take precedence per phase. Each exec hook
 * becomes one hook spec targeting exactly that pod and container (default: its first container),
 * with Velero's defaults: `onError: Fail`, `timeout: 30s`. `onError: Continue` records a failure
 * without failing the session; after a `Fail` hook fails, the pod's later hooks of that phase are
 * not run. Post hooks run whatever happened (executionPolicy `Always`), so an unfreeze is never missed.
 *
 * @example
 * ```ts
 * const loaded = loadVeleroHooks(backupYaml);
 * const velero = await resolveVeleroBackupHooks({ cluster, hooks: loaded });
 * const result = await runWithHooks(
 *   { cluster, subject: velero.subject, hooks: { pre: velero.pre, post: velero.post } },
 *   async () => takeBackup(),
 * );
 * ```
 */
export async function resolveVeleroBackupHooks(
  options: ResolveVeleroBackupOptions,
): Promise<ResolvedVeleroBackupHooks> {
  const { cluster } = options;
  const backup = options.hooks.backup;
  const call = options.signal ? { signal: options.signal } : {};
  const out: ResolvedVeleroBackupHooks = {
    subject: {
      kind: "Backup",
      name: backup?.name ?? "velero-backup",
      namespace: backup?.namespace ?? "velero",
    },
    pre: [],
    post: [],
    planned: [],
    skipped: [],
  };
  for await (const { namespace, pod, name, rules: podRules, annotations } of podsInScope(
    cluster,
    backup,
    options.namespaces,
    call,
  )) {
    const planned = (["pre", "post"] as const).map((phase) => ({
      phase,
      list: execs(phase, podRules, annotations.hooks[phase]),
    }));
    if (planned.every((p) => p.list.length === 0)) {
      if (annotations.errors.length > 0) {
        out.skipped.push({ namespace, pod: name, reason: invalidAnnotationsReason(annotations.errors) });
      }
      continue;
    }
    if (pod.status?.phase !== "Running" || pod.metadata?.deletionTimestamp) {
      // Velero skips hooks of pods that are not running.
      out.skipped.push({
        namespace,
        pod: name,
        reason: `pod is ${pod.metadata?.deletionTimestamp ? "being deleted" : (pod.status?.phase ?? "not running")}`,
      });
      continue;
    }
    for (const { phase, list } of planned) {
      const chain: PodChain = { failed: undefined };
      for (const { exec, source, index } of list) {
        const container = containerFor(pod, exec.container);
        const hookName = `${namespace}/${name} ${source}.${phase}[${index}]`;
        const onError = exec.onError ?? "Fail";
        const spec = veleroExecHookSpec({
          cluster,
          name: hookName,
          namespace,
          pod: name,
          container,
          command: exec.command,
          onError,
          execTimeout: exec.timeout ?? VELERO_DEFAULTS.backupTimeout,
          chain,
          ...(options.outputLimitBytes !== undefined ? { outputLimitBytes: options.outputLimitBytes } : {}),
        });
        out[phase].push(spec);
        out.planned.push({
          phase,
          name: hookName,
          namespace,
          pod: name,
          container,
          command: [...exec.command],
          onError,
          source,
        });
      }
    }
  }
  return out;
}
