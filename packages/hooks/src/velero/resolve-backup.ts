/** resolveVeleroBackupHooks: the pods a Backup's hooks (and pods' hook annotations) cover, as Velero hook specs. */
import type { Cluster } from "@quiesce/kube";
import type { HookSubject } from "../hook-spec.js";
import type { AnnotationIssue } from "./annotations.js";
import type { LoadedVeleroHooks, VeleroBackupRule } from "./load.js";
import { VELERO_DEFAULTS, type VeleroBackupExec } from "./schema.js";
import { containerFor, podsInScope, uniqueHookName } from "./selection.js";
import type { VeleroHookSpec } from "./velero-hook-spec.js";

/** One hook as it will run: which pod, container and command, and where it came from. */
export interface VeleroPlannedHook {
  phase: "pre" | "post";
  name: string;
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  /** As declared; unset behaves like Continue (only an explicit Fail stops). */
  onError: "Fail" | "Continue" | undefined;
  /** `<from-annotation>`, or the name of the `spec.hooks.resources[]` rule. */
  source: string;
}

/** A pod that was not given hooks, or a hook that was dropped, and why. */
export interface VeleroSkippedPod {
  namespace: string;
  pod: string;
  reason: string;
}

/** A problem with a pod's hook annotations: Velero logs it and uses its default. */
export interface VeleroPodWarning extends AnnotationIssue {
  namespace: string;
  pod: string;
}

/** What {@link resolveVeleroBackupHooks} returns: hand `pre`/`post` to `runWithHooks`. */
export interface ResolvedVeleroBackupHooks {
  /** The Backup object as the session's subject (hooks target their own pods, not the subject). */
  subject: HookSubject;
  pre: VeleroHookSpec[];
  post: VeleroHookSpec[];
  planned: VeleroPlannedHook[];
  skipped: VeleroSkippedPod[];
  warnings: VeleroPodWarning[];
}

/** Options of {@link resolveVeleroBackupHooks}. */
export interface ResolveVeleroBackupOptions {
  cluster: Cluster;
  /** What {@link loadVeleroHooks} returned (its `backup`; annotations are read from the live pods). */
  hooks: Pick<LoadedVeleroHooks, "backup">;
  /** The namespaces being backed up; default: the cluster's namespaces the Backup includes. */
  namespaces?: readonly string[];
  signal?: AbortSignal;
}

function execs(
  phase: "pre" | "post",
  rules: readonly VeleroBackupRule[],
  annotation: VeleroBackupExec | undefined,
): Array<{ exec: VeleroBackupExec; rule: string; index: number }> {
  // HandleHooks: a hook from the pod's annotations takes priority over every spec hook of the phase.
  if (annotation) return [{ exec: annotation, rule: "<from-annotation>", index: 0 }];
  return rules.flatMap((r) => r[phase].map((exec, index) => ({ exec, rule: r.name, index })));
}

/**
 * Resolves Velero backup hooks against a cluster, as Velero finds them while it backs up pods:
 * the namespaces the Backup includes (globs matched against the cluster's namespaces, or
 * `namespaces`), every pod there — whatever its phase — that the Backup's own label selector(s)
 * and resource filter cover, the rules whose namespaces, resources and labelSelector match each
 * pod, and the pod's own `pre.hook.backup.velero.io/*` (or legacy `hook.backup.velero.io/*`) and
 * `post.hook.backup.velero.io/*` annotations, which replace the spec hooks of their phase. Each
 * exec hook becomes one {@link VeleroHookSpec} on exactly that pod and container (default: the
 * pod's first container), with Velero's 30s default timeout. Run them with `runWithHooks`: they
 * follow Velero's rules there (pod by pod, `onError`, PartiallyFailed, hookStatus).
 *
 * @example
 * ```ts
 * const velero = await resolveVeleroBackupHooks({ cluster, hooks: loadVeleroHooks(backupYaml) });
 * const result = await runWithHooks(
 *   { cluster, subject: velero.subject, hooks: { pre: velero.pre, post: velero.post }, stepPer: "target" },
 *   async ({ target }) => backUpItemBlock(target), // between the pod's pre and post hooks
 * );
 * result.outcome; // "succeeded" | "partiallyFailed" | …, result.hookStatus: { hooksAttempted, hooksFailed }
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
    warnings: [],
  };
  const used = new Set<string>();
  for await (const { namespace, pod, name, rules, annotations, deleting } of podsInScope(
    cluster,
    backup,
    options.namespaces,
    call,
  )) {
    if (deleting) {
      // pkg/backup/item_backupper.go itemInclusionChecks: "Skipping item because it's being
      // deleted." — the pod joins no item block, so none of its hooks run or count.
      const hooks = rules.length > 0 || annotations.hooks.pre || annotations.hooks.post;
      if (hooks)
        out.skipped.push({
          namespace,
          pod: name,
          reason: "being deleted: Velero skips the pod and its hooks",
        });
      continue;
    }
    for (const w of annotations.warnings) out.warnings.push({ namespace, pod: name, ...w });
    for (const phase of ["pre", "post"] as const) {
      for (const { exec, rule, index } of execs(phase, rules, annotations.hooks[phase])) {
        const container = containerFor(pod, exec.container);
        const hookName = uniqueHookName(used, `${namespace}/${name} ${rule}.${phase}[${index}]`);
        if (container === "") {
          // pkg/podexec setDefaultHookContainer: "need at least 1 container".
          out.skipped.push({ namespace, pod: name, reason: `${hookName}: the pod has no container` });
          continue;
        }
        const spec: VeleroHookSpec = {
          name: hookName,
          velero: {
            operation: "backup",
            phase,
            namespace,
            pod: name,
            container,
            command: [...exec.command],
            onError: exec.onError,
            timeout: exec.timeout ?? VELERO_DEFAULTS.backupTimeout,
            source: rule === "<from-annotation>" ? "annotation" : "spec",
            rule,
            index,
            // item_hook_handler.go HandleHooks tracks the hook by hook.Exec.Container as written.
            declaredContainer: exec.container ?? "",
          },
        };
        out[phase].push(spec);
        out.planned.push({
          phase,
          name: hookName,
          namespace,
          pod: name,
          container,
          command: [...exec.command],
          onError: exec.onError,
          source: rule,
        });
      }
    }
  }
  return out;
}
