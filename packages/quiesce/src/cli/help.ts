/** Help texts of the CLI. */

export const MAIN_HELP = `quiesce — validate, render and run Kanister Blueprints and KubeStash hook documents

Usage:
  quiesce validate <file...> [--json] [--strict] [--allow-missing-functions] [--import <module>...]
  quiesce render <blueprint.yaml> --action <name> [--params <file>] [--set Key.Path=value...] [--time <rfc3339>] [--json]
  quiesce run <blueprint.yaml> --action <name> --subject <kind>/<namespace>/<name> [options]
  quiesce <command> --help
  quiesce --version

Exit codes: 0 success, 1 a document is invalid or the action failed, 2 a wrong command line.
`;

export const VALIDATE_HELP = `Usage: quiesce validate <file...> [options]

Checks every YAML document of every file with quiesce's own loaders:
  Blueprint (cr.kanister.io/v1alpha1)             schema, registered functions, arguments, template syntax
  HookTemplate (core.kubestash.com/v1alpha1)      schema, usage policy, params, executor, template syntax
  BackupConfiguration / RestoreSession            the hook references (timeout, executionPolicy, …)
  Backup / Restore (velero.io/v1)                 spec.hooks (exec hooks, durations, init hooks), quirks
  Pods and workloads with Velero hook annotations pre/post.hook.backup.velero.io/*, post.hook.restore.velero.io/*
Other kinds (plain Kubernetes objects) are reported as "unsupported document kind" warnings and
not checked. Each problem names its file, document number, line and path.

Options:
  --json                      machine-readable report
  --strict                    exit 1 on warnings too
  --allow-missing-functions   report Blueprint functions that are not registered as warnings
  --import <module>           import a plugin module first (repeatable), so its functions are registered
  -h, --help                  this help
`;

export const RENDER_HELP = `Usage: quiesce render <blueprint.yaml> --action <name> [options]

Renders the arguments of every phase of an action (and its deferPhase and output artifacts) with
the given TemplateParams, without touching a cluster, and prints them as YAML. A missing key is an
error, exactly as when the action runs. Exit 1 when any template fails.

Options:
  --action <name>          the action to render (required)
  --params <file>          YAML or JSON holding (part of) the TemplateParams: StatefulSet, Deployment,
                           Namespace, Object, Options, Secrets, ArtifactsIn, Phases.<name>.Output, …
  --set Key.Path=value     set one parameter (repeatable); the value is read as YAML
  --time <rfc3339>         the value of .Time (default: now)
  --import <module>        import a plugin module first (repeatable)
  --json                   print JSON (with the errors) instead of YAML
  -h, --help               this help
`;

export const RUN_HELP = `Usage: quiesce run <blueprint.yaml> --action <name> --subject <kind>/<namespace>/<name> [options]

Runs one action of a Blueprint against a cluster and prints its result. Exit 1 when the action
did not succeed.

Options:
  --action <name>              the action to run (required)
  --subject <kind>/<ns>/<name> statefulset, deployment or pvc; or namespace/<name> (required)
  --kubeconfig <path>          kubeconfig file (default: $KUBECONFIG, ~/.kube/config, in-cluster)
  --context <name>             kubeconfig context (default: the current one)
  --timeout <duration>         time limit of the whole action (default 30m)
  --phase-timeout <duration>   time limit of each phase (default 15m)
  --option key=value           .Options.<key> (repeatable)
  --secret alias=ns/name       .Secrets.<alias> (repeatable)
  --configmap alias=ns/name    .ConfigMaps.<alias> (repeatable)
  --artifacts <file>           .ArtifactsIn, as YAML/JSON ({ name: { KeyValue: { k: v } } })
  --import <module>            import a plugin module first (repeatable)
  --json                       print the ActionResult as JSON
  -q, --quiet                  no progress lines on stderr
  -h, --help                   this help
`;
