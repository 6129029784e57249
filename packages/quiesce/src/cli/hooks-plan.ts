/** What `quiesce hooks` runs around the command: hooks from KubeStash, Velero and Kanister documents and flags. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import {
  type BlueprintHookSpec,
  clusterTemplates,
  HOOK_TEMPLATE_NOT_FOUND,
  type HookSpec,
  type HookSubject,
  type HookTemplateSource,
  inMemoryTemplates,
  type KubeStashHookSpec,
  type LifecycleHooks,
  type LoadedVeleroHooks,
  loadHookReferences,
  loadHookTemplate,
  loadVeleroHooks,
  resolveVeleroBackupHooks,
} from "@quiesce/hooks";
import type { Cluster } from "@quiesce/kube";
import type { SourceDocument } from "./documents.js";
import { UsageError } from "./io.js";
import { inNamespace, parseSubject, type SubjectArg } from "./subject.js";

/** The hook flags of `quiesce hooks`. */
export interface HookFlags {
  /** `--pre [ns/]template`: KubeStash HookTemplates run before the command. */
  pre: readonly string[];
  /** `--post [ns/]template`: run after it (executionPolicy Always). */
  post: readonly string[];
  /** `--pre-hook`, `--on-success`, `--on-failure`: actions of the one Blueprint given (K10). */
  preHook: readonly string[];
  onSuccess: readonly string[];
  onFailure: readonly string[];
  /** `--param key=value`: params of `--pre`/`--post` references, `.Options` of Blueprint hooks. */
  params: Readonly<Record<string, string>>;
  subject?: string | undefined;
  /** `-n`, else the kubeconfig context's namespace. */
  namespace: string;
  /** True when `-n` gave `namespace` (a `--subject` naming another one is then an error). */
  namespaceGiven: boolean;
  /** Which session of a BackupConfiguration. */
  session?: string | undefined;
}

/** The session `quiesce hooks` will run. */
export interface HooksPlan {
  subject: HookSubject;
  hooks: LifecycleHooks;
  templates: HookTemplateSource;
  /** A Velero Restore: its hooks are resolved once the command has restored the pods. */
  veleroRestore?: Pick<LoadedVeleroHooks, "restore">;
  /** Lines worth telling the user before anything runs (what was found, what was skipped, warnings). */
  notes: string[];
}

/** Builds the plan: reads the documents, resolves Velero backup hooks against the cluster. */
export async function planHooks(
  docs: readonly SourceDocument[],
  flags: HookFlags,
  cluster: Cluster,
  signal?: AbortSignal,
): Promise<HooksPlan> {
  const notes: string[] = [];
  const byKind = (k: SourceDocument["quiesceKind"]) => docs.filter((d) => d.quiesceKind === k);
  const hooks: Required<Pick<LifecycleHooks, "pre" | "post">> & LifecycleHooks = { pre: [], post: [] };
  const pre = hooks.pre as HookSpec[];
  const post = hooks.post as HookSpec[];
  let subject: SubjectArg | undefined =
    flags.subject === undefined
      ? undefined
      : inNamespace(
          parseSubject(flags.subject, flags.namespaceGiven ? flags.namespace : undefined, true),
          flags.namespace,
        );

  const kubestash = [...byKind("BackupConfiguration"), ...byKind("RestoreSession")];
  if (kubestash.length > 1)
    throw usage(`found ${kubestash.length} BackupConfiguration/RestoreSession documents; give one`);
  if (kubestash[0]) {
    const loaded = loadHookReferences(kubestash[0].value);
    const set =
      flags.session === undefined
        ? loaded.sets.length === 1
          ? loaded.sets[0]
          : undefined
        : loaded.sets.find((s) => s.session === flags.session);
    if (!set) {
      const names = loaded.sets.map((s) => s.session).join(", ") || "none";
      throw usage(
        flags.session === undefined
          ? `${loaded.kind} ${loaded.name} has ${loaded.sets.length} sessions (${names}); choose one with --session`
          : `${loaded.kind} ${loaded.name} has no session "${flags.session}" (sessions: ${names})`,
      );
    }
    pre.push(...set.pre);
    post.push(...set.post);
    for (const w of loaded.warnings) notes.push(`warning: ${kubestash[0].file}: ${w}`);
    const target = loaded.target;
    if (target && !subject) {
      subject = {
        kind: target.kind,
        name: target.name,
        namespace: target.namespace ?? loaded.namespace ?? flags.namespace,
      };
    }
  }

  for (const [list, refs] of [
    [pre, flags.pre],
    [post, flags.post],
  ] as const) {
    for (const ref of refs) list.push(referenceFlag(ref, flags.params));
  }

  const k10 = [flags.preHook, flags.onSuccess, flags.onFailure].some((l) => l.length > 0);
  if (k10) {
    const blueprints = byKind("Blueprint");
    if (blueprints.length !== 1) {
      throw usage(
        `--pre-hook, --on-success and --on-failure name actions of one Blueprint; found ${blueprints.length} in the files`,
      );
    }
    const blueprint = blueprints[0]?.value;
    const spec = (actionName: string): BlueprintHookSpec => ({
      blueprint,
      actionName,
      options: { ...flags.params },
    });
    hooks.preHook = flags.preHook.map(spec);
    hooks.onSuccess = flags.onSuccess.map(spec);
    hooks.onFailure = flags.onFailure.map(spec);
  }

  const veleroDocs = [...byKind("VeleroBackup"), ...byKind("VeleroRestore")];
  if (veleroDocs.length > 1)
    throw usage(`found ${veleroDocs.length} Velero Backup/Restore documents; give one`);
  let veleroRestore: HooksPlan["veleroRestore"];
  if (veleroDocs[0]) {
    const loaded = loadVeleroHooks(veleroDocs[0].value);
    for (const w of loaded.warnings)
      notes.push(`warning: ${veleroDocs[0].file}: ${w.path ? `${w.path}: ` : ""}${w.message}`);
    if (loaded.backup) {
      if (pre.length > 0 || post.length > 0 || k10) {
        throw usage(
          "a Velero Backup's hooks run under Velero's rules (pod by pod, PartiallyFailed); they cannot be combined with other hooks",
        );
      }
      const velero = await resolveVeleroBackupHooks({
        cluster,
        hooks: loaded,
        ...(signal ? { signal } : {}),
      });
      pre.push(...velero.pre);
      post.push(...velero.post);
      subject ??= velero.subject;
      for (const h of velero.planned) {
        notes.push(
          `velero: ${h.phase} hook ${h.name} on ${h.namespace}/${h.pod} [${h.container}] (${h.source}): ${h.command.join(" ")}`,
        );
      }
      for (const s of velero.skipped) notes.push(`velero: skipped ${s.namespace}/${s.pod}: ${s.reason}`);
      for (const w of velero.warnings)
        notes.push(`warning: velero: ${w.namespace}/${w.pod}: ${w.path}: ${w.message}`);
    } else if (loaded.restore) {
      if (pre.length > 0 || k10) {
        throw usage(
          "a Velero Restore's hooks run after the command has restored the pods; it cannot be combined with other hooks",
        );
      }
      veleroRestore = loaded;
      subject ??= {
        kind: "Restore",
        name: loaded.restore.name ?? "velero-restore",
        namespace: loaded.restore.namespace ?? "velero",
      };
    }
  }

  if (pre.length === 0 && post.length === 0 && !k10 && !veleroRestore) {
    throw usage(
      "no hooks to run: give documents with hooks (-f: BackupConfiguration, RestoreSession, Velero Backup/Restore) or --pre/--post/--pre-hook/--on-success/--on-failure",
    );
  }
  const templates = templateSource(byKind("HookTemplate"), cluster);
  return {
    subject: subject ?? { kind: "Namespace", name: flags.namespace, namespace: flags.namespace },
    hooks,
    templates,
    ...(veleroRestore ? { veleroRestore } : {}),
    notes,
  };
}

/** `[namespace/]name` of a HookTemplate as a KubeStash reference named after it. */
function referenceFlag(text: string, params: Readonly<Record<string, string>>): KubeStashHookSpec {
  const parts = text.split("/");
  if (parts.length > 2 || parts.some((p) => p === "")) {
    throw usage(`--pre/--post: expected a HookTemplate as <name> or <namespace>/<name>, got "${text}"`);
  }
  const [first, second] = parts as [string, string | undefined];
  const hookTemplate = second === undefined ? { name: first } : { name: second, namespace: first };
  return {
    name: hookTemplate.name,
    hookTemplate,
    ...(Object.keys(params).length > 0 ? { params: { ...params } } : {}),
  };
}

/** HookTemplates given in the files, then the cluster's `hooktemplates.core.kubestash.com`. */
function templateSource(docs: readonly SourceDocument[], cluster: Cluster): HookTemplateSource {
  const fromCluster = clusterTemplates(cluster);
  if (docs.length === 0) return fromCluster;
  const fromFiles = inMemoryTemplates(
    docs.map((d) => {
      try {
        return loadHookTemplate(d.value);
      } catch (cause) {
        throw new QuiesceError(ErrorCodes.VALIDATION, `${d.file}#${d.index}: ${(cause as Error).message}`, {
          cause,
        });
      }
    }),
  );
  return {
    async get(ref, options) {
      try {
        return await fromFiles.get(ref, options);
      } catch (err) {
        if (QuiesceError.is(err, HOOK_TEMPLATE_NOT_FOUND)) return fromCluster.get(ref, options);
        throw err;
      }
    },
  };
}

function usage(message: string): UsageError {
  return new UsageError(message);
}
