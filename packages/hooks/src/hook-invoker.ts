/** The KubeStash invoker of hooks, as templates see it (`.Invoker`). */

/** The KubeStash object that invoked the hooks (`.Invoker` in templates). */
export interface HookInvoker {
  /** Default `core.kubestash.com`. */
  apiGroup?: string;
  /** `BackupConfiguration` or `RestoreSession`. */
  kind: string;
  name: string;
  /** Default: the hook's namespace. */
  namespace?: string;
}
