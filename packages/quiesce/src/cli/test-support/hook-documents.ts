/** Documents for the CLI's hook tests: a database pod, KubeStash, Velero and Kanister hooks around it. */

/** Two pods `db-0`/`db-1` (app=db) in `namespace`, db-0 with Velero backup hook annotations. */
export function dbPods(namespace: string): string {
  const pod = (i: number, annotations: string) => `
apiVersion: v1
kind: Pod
metadata:
  name: db-${i}
  namespace: ${namespace}
  labels: { app: db }
  annotations: {${annotations}}
spec:
  containers:
    - { name: db, image: postgres:16 }
    - { name: sidecar, image: busybox:1 }
`;
  return [
    pod(
      0,
      ` pre.hook.backup.velero.io/command: '["/bin/sh", "-c", "echo frozen"]', pre.hook.backup.velero.io/container: db, post.hook.backup.velero.io/command: '["/bin/sh", "-c", "echo thawed"]' `,
    ),
    pod(1, ""),
  ].join("---\n");
}

/** HookTemplates `freeze` and `thaw`: exec in the db container of every app=db pod. */
export function hookTemplates(namespace: string, freezeSql = "select pg_backup_start(1)"): string {
  const template = (name: string, sql: string) => `
apiVersion: core.kubestash.com/v1alpha1
kind: HookTemplate
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  usagePolicy: { allowedNamespaces: { from: Same } }
  action:
    exec:
      command: ["/bin/sh", "-c", "psql -c '${sql}'"]
    containerName: db
  executor:
    type: Pod
    pod: { selector: "app=db", strategy: ExecuteOnAll }
`;
  return [template("freeze", freezeSql), template("thaw", "select pg_backup_stop()")].join("---\n");
}

/** The HookTemplates and a BackupConfiguration whose session `nightly` uses them. */
export function kubestashDocuments(namespace: string): string {
  return [
    hookTemplates(namespace),
    `
apiVersion: core.kubestash.com/v1alpha1
kind: BackupConfiguration
metadata: { name: db-backup, namespace: ${namespace} }
spec:
  target: { apiGroup: apps, kind: StatefulSet, name: db, namespace: ${namespace} }
  sessions:
    - name: nightly
      hooks:
        preBackup:
          - { name: freeze-db, hookTemplate: { name: freeze }, timeout: 30s }
        postBackup:
          - { name: thaw-db, hookTemplate: { name: thaw }, executionPolicy: Always, timeout: 30s }
`,
  ].join("---\n");
}

/** A Velero Backup of `namespace` with one rule adding a pre hook to db-1's sidecar. */
export function veleroBackup(namespace: string): string {
  return `
apiVersion: velero.io/v1
kind: Backup
metadata: { name: nightly, namespace: velero }
spec:
  includedNamespaces: [${namespace}]
  hooks:
    resources:
      - name: flush-sidecar
        includedNamespaces: [${namespace}]
        labelSelector: { matchLabels: { app: db } }
        pre:
          - exec: { container: sidecar, command: ["/bin/sh", "-c", "sync"], onError: Continue, timeout: 10s }
`;
}

/** A Blueprint with actions `quiesce` and `notify` (KubeExec into db-0). */
export function blueprint(namespace: string): string {
  return `
apiVersion: cr.kanister.io/v1alpha1
kind: Blueprint
metadata: { name: db-hooks }
actions:
  quiesce:
    phases:
      - func: KubeExec
        name: checkpoint
        args: { namespace: ${namespace}, pod: db-0, container: db, command: [psql, -c, checkpoint] }
  notify:
    phases:
      - func: KubeExec
        name: say
        args: { namespace: ${namespace}, pod: db-0, container: db, command: [echo, "{{ .Options.message }}"] }
`;
}
