/** Help texts of the CLI (kept free of imports: `--help` must not load the SDK). */

export const MAIN_HELP = `quiesce — validate, render and run Kanister Blueprints, KubeStash and Velero hooks

Usage:
  quiesce validate <file|dir|-...> [-R] [-o json|yaml] [--strict] [--allow-missing-functions] [--import <module>...]
  quiesce render <blueprint> --action <name> [--params <file>] [--set Key.Path=value...] [--time <rfc3339>] [-o json|yaml]
  quiesce run <blueprint> --action <name> --subject <kind>/<name> [-n <namespace>] [options]
  quiesce hooks [-f <file|dir|->...] [--pre <template>...] [--post <template>...] [options] [-- <command> [args...]]
  quiesce recover [-n <namespace> | -A] [--retry-failed] [options]
  quiesce <command> --help
  quiesce --version

Files: a file, a directory (its .json/.yaml/.yml files; -R for subdirectories) or - (stdin), as
positional arguments or with -f, as kubectl apply -f reads them.

Exit codes: 0 success, 1 a document is invalid or the action/hooks failed, 2 a wrong command line,
130 interrupted (Ctrl-C: the running action or hooks are cancelled and their cleanup runs first).
`;

export const VALIDATE_HELP = `Usage: quiesce validate <file|dir|-...> [options]

Checks every YAML document of every file with quiesce's own loaders:
  Blueprint (cr.kanister.io/v1alpha1)             schema, registered functions, arguments, template syntax
  HookTemplate (core.kubestash.com/v1alpha1)      schema, usage policy, params, executor, template syntax
  BackupConfiguration / RestoreSession            the hook references (timeout, executionPolicy, …)
  Backup / Restore (velero.io/v1)                 spec.hooks (exec hooks, durations, init hooks), quirks
  Pods and workloads with Velero hook annotations pre/post.hook.backup.velero.io/*, post.hook.restore.velero.io/*
Other kinds (plain Kubernetes objects) are reported as "unsupported document kind" warnings and
not checked. Each problem names its file, document number, line and path; a YAML error its line,
column and the lines around it.

Options:
  -f, --filename <path>       a file, a directory or - (repeatable; positional arguments work too)
  -R, --recursive             read directories' subdirectories too
  -o, --output json|yaml      machine-readable report (--json is -o json)
  --strict                    exit 1 on warnings too
  --allow-missing-functions   report Blueprint functions that are not registered as warnings
  --import <module>           import a plugin module first (repeatable), so its functions are registered
  -h, --help                  this help
`;

export const RENDER_HELP = `Usage: quiesce render <blueprint> --action <name> [options]

Renders the arguments of every phase of an action (and its deferPhase and output artifacts) with
the given TemplateParams, without touching a cluster, and prints them as YAML. A missing key is an
error, exactly as when the action runs. Exit 1 when any template fails. The Blueprint is read from
a file, a directory or - (stdin) that holds exactly one.

Options:
  --action <name>          the action to render (required)
  --params <file>          YAML or JSON holding (part of) the TemplateParams: StatefulSet, Deployment,
                           Namespace, Object, Options, Secrets, ArtifactsIn, Phases.<name>.Output, …
  --set Key.Path=value     set one parameter (repeatable); the value is read as YAML
  --time <rfc3339>         the value of .Time (default: now)
  -f, --filename <path>    the Blueprint (instead of the positional argument)
  -R, --recursive          read directories' subdirectories too
  --import <module>        import a plugin module first (repeatable)
  -o, --output json|yaml   the rendered action with "ok" and "errors" (--json is -o json)
  -h, --help               this help
`;

export const RUN_HELP = `Usage: quiesce run <blueprint> --action <name> --subject <kind>/<name> [options]

Runs one action of a Blueprint against a cluster and prints its result. Exit 1 when the action
did not succeed; 130 when interrupted (the action is cancelled and its deferPhase runs first).

Options:
  --action <name>              the action to run (required)
  --subject <kind>/<name>      statefulset, deployment or pvc (in -n's namespace), <kind>/<ns>/<name>,
                               or namespace/<name> (required)
  -n, --namespace <name>       the subject's namespace (default: the kubeconfig context's, else default)
  --kubeconfig <path>          kubeconfig file (default: $KUBECONFIG's files merged, ~/.kube/config, in-cluster)
  --context <name>             kubeconfig context (default: the current one)
  --timeout <duration>         time limit of the whole action (default: none)
  --phase-timeout <duration>   time limit of each phase (default: none)
  --option key=value           .Options.<key> (repeatable)
  --secret alias=ns/name       .Secrets.<alias> (repeatable)
  --configmap alias=ns/name    .ConfigMaps.<alias> (repeatable)
  --artifacts <file>           .ArtifactsIn, as YAML/JSON ({ name: { KeyValue: { k: v } } })
  --lease-duration <duration>  the Lease of the action's session record (whole seconds; default 30s)
  --no-session-record          do not record the deferPhase in the cluster (no crash recovery)
  --profile <ns/name>          .Profile: a Kanister Profile (cr.kanister.io/v1alpha1) and its credentials
  -f, --filename <path>        the Blueprint (instead of the positional argument)
  --import <module>            import a plugin module first (repeatable)
  -o, --output json|yaml       print the ActionResult (--json is -o json)
  -q, --quiet                  no progress lines on stderr
  -h, --help                   this help
`;

export const HOOKS_HELP = `Usage: quiesce hooks [-f <file|dir|->...] [hooks] [options] [-- <command> [args...]]

Runs execution hooks around a local command (a backup tool, a copy, a restore script): the pre
hooks, then the command (argv, no shell; its output passes through), then the post hooks as their
policies say. Without a command, the hooks run around nothing. Progress goes to stderr, the
summary to stdout.

Hooks from documents (-f):
  BackupConfiguration / RestoreSession    its preBackup/postBackup (preRestore/postRestore) references;
    (core.kubestash.com/v1alpha1)         its target is the subject; --session picks one of several sessions
  HookTemplate                            templates the references use (else read from the cluster)
  Backup (velero.io/v1)                   pre and post exec hooks of the pods it covers (spec.hooks and the
                                          pods' own hook annotations, read from the cluster)
  Restore (velero.io/v1)                  post-restore exec hooks of the pods, resolved after the command
  Blueprint (cr.kanister.io/v1alpha1)     actions for --pre-hook / --on-success / --on-failure (K10)

Hooks from flags:
  --pre <[ns/]template>        a KubeStash HookTemplate run before the command (repeatable)
  --post <[ns/]template>       one run after it, whatever happened (repeatable)
  --param key=value            params of --pre/--post references; .Options of Blueprint hooks (repeatable)
  --pre-hook <action>          a Blueprint action run before the command (K10 preHook)
  --on-success <action>        run after the command succeeded (K10 onSuccess)
  --on-failure <action>        run after a failure (K10 onFailure)
  --profile <ns/name>          .Profile of the Blueprint hooks: a Kanister Profile and its credentials

Options:
  --subject <kind>/<name>      what the operation is about (default: the document's target, else the namespace)
  -n, --namespace <name>       the namespace hooks run in (default: the kubeconfig context's, else default)
  --session <name>             the BackupConfiguration session whose hooks run
  --hook-timeout <duration>    per-attempt limit of hooks that set none (default: none)
  --cleanup-timeout <duration> time post hooks get after an interrupt (default 2m)
  --lease-duration <duration>  the Lease of the session record (whole seconds; default 30s)
  --no-session-record          do not record the owed cleanup in the cluster (no crash recovery)
  --kubeconfig <path>, --context <name>   as kubectl
  -f, --filename <path>        documents (repeatable); -R reads subdirectories
  --import <module>            import a plugin module first (repeatable)
  -o, --output json|yaml       print the session result (--json is -o json)
  -q, --quiet                  no progress lines on stderr
  -h, --help                   this help

Exit codes: 0 all succeeded; the command's own exit code when it failed; 1 a hook failed; 2 a wrong
command line; 130 interrupted (the command is stopped, then the post hooks run).
`;

export const RECOVER_HELP = `Usage: quiesce recover [-n <namespace> | -A] [options]

Runs the cleanup that sessions of hosts that died still owe: the post hooks (and K10 onFailure or
onSuccess hooks) of hook sessions that froze something, and the deferPhase of Blueprint actions.
Before such a hook runs, quiesce hooks, quiesce run and the SDK record the cleanup it makes
owed in the cluster (a ConfigMap guarded by a coordination.k8s.io/v1 Lease the host renews). A
session is recovered when its Lease was released, or did not change while this command watched it
for the Lease's duration (so with live sessions around it waits that long, 30s by default). Each
session goes to exactly one of any number of recoverers running at once; a recovery that dies in
turn is resumed by the next, without running again what completed.

Options:
  -n, --namespace <name>       where to look (default: the kubeconfig context's, else default)
  -A, --all-namespaces         look in every namespace
  --retry-failed               also retry sessions an earlier recovery left failed
  --identity <id>              this recoverer's holderIdentity (default: <hostname>_<uuid>)
  --lease-duration <duration>  the Lease while recovering (whole seconds; default 30s)
  --kubeconfig <path>, --context <name>   as kubectl
  --import <module>            import a plugin module first (repeatable), for Blueprint functions
  -o, --output json|yaml       print the recovery report (--json is -o json)
  -q, --quiet                  no progress lines on stderr
  -h, --help                   this help

Exit codes: 0 every owed cleanup ran (or nothing was owed); 1 some still failed (its record is kept);
2 a wrong command line; 130 interrupted.
`;
