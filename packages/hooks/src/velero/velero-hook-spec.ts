/** The shape of a Velero exec hook as the session takes it (types only). */

/** What one Velero exec hook is: where it runs, what, and how Velero treats its failure. */
export interface VeleroExecHook {
  /** A Backup's `pre`/`post` hook, or a Restore's post-restore exec hook. */
  operation: "backup" | "restore";
  phase: "pre" | "post";
  namespace: string;
  pod: string;
  /** The container (Velero's default, the pod's first container, already applied). */
  container: string;
  command: string[];
  /**
   * Only an explicit `Fail` stops the pod's remaining hooks of the phase (and, for a pre hook,
   * leaves the pod out of the backup). Unset behaves like `Continue`: Velero's code
   * (internal/hook/item_hook_handler.go) tests `OnError == Fail`; its docs' "default Fail" is only
   * what pkg/podexec logs.
   */
  onError?: "Fail" | "Continue" | undefined;
  /** The exec's time limit, a Go duration (backup `timeout`, restore `execTimeout`; default 30s). */
  timeout: string;
  /** Restore: how long after the pod's hooks start waiting this hook may still start; absent: no limit of its own. */
  waitTimeout?: string | undefined;
  /** Restore: wait for the container to be Ready rather than running. */
  waitForReady?: boolean | undefined;
  /** Restore: the longest the pod's hooks wait when some hook sets no waitTimeout (Velero waits forever). */
  waitBound?: string | undefined;
  /** Where the hook was declared: a pod annotation or a `spec.hooks.resources[]` rule. */
  source: "annotation" | "spec";
  /** The rule's name, or `<from-annotation>`. */
  rule: string;
  /** Position in the rule's hook list (0 for an annotation hook). */
  index: number;
  /**
   * The container as the declaration names it (`""` when it names none; default: `container`).
   * Velero's hook tracker keys a hook by it, with the pod, source, phase, rule name and index.
   */
  declaredContainer?: string | undefined;
}

/**
 * A Velero hook for `runWithHooks` (`hooks.pre` / `hooks.post`), as `resolveVeleroBackupHooks`
 * and `resolveVeleroRestoreHooks` return them. Velero hooks run under Velero's rules and cannot
 * share a session with other hooks.
 */
export interface VeleroHookSpec {
  /** `<namespace>/<pod> <rule>.<phase>[<index>]`, unique within the session. */
  name: string;
  velero: VeleroExecHook;
}
