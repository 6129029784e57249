/** `quiesce run`: one Blueprint action against a cluster, with a readable (or JSON/YAML) result. */
import { createDeadline, parseDuration } from "@quiesce/core";
import {
  type Artifact,
  BlueprintEvents,
  type NamedObjectRef,
  runBlueprintAction,
  type Subject,
} from "@quiesce/functions";
import type { SessionRecordSettings } from "@quiesce/kube";
import "@quiesce/functions/builtins";
import { connectFromFlags } from "./connect-flags.js";
import { parseYamlText, readBlueprintDocument, readText } from "./documents.js";
import { CLUSTER_FLAGS, COMMON_FLAGS, FILE_FLAGS, fileArguments, parseCommand } from "./flags.js";
import { type CliIO, EXIT_FAILED, EXIT_OK, UsageError } from "./io.js";
import { type OutputFormat, outputFormat, writeStructured } from "./output.js";
import { importPlugins } from "./plugins.js";
import { profileRef } from "./profile-flag.js";
import { SESSION_FLAGS, sessionRecordFlags } from "./session-flags.js";
import { inNamespace, parseSubject } from "./subject.js";
import { formatActionResult } from "./summary.js";

/** Options of the run command. */
export interface RunCommandOptions {
  /** Files, directories or `-`, holding exactly one Blueprint. */
  files: readonly string[];
  recursive: boolean;
  action: string;
  /** `kind/namespace/name`, `kind/name` (namespace from `namespace` or the kubeconfig), or `namespace/name`. */
  subject: string;
  /** `-n`: the subject's namespace when `subject` has none. */
  namespace?: string | undefined;
  kubeconfig?: string | undefined;
  context?: string | undefined;
  /** Time limit of the whole action; none by default (Kanister gives an action none). */
  timeout?: string | undefined;
  phaseTimeout?: string | undefined;
  options: readonly string[];
  secrets: readonly string[];
  configMaps: readonly string[];
  artifactsFile?: string | undefined;
  /** `namespace/name` of the Kanister Profile the action sees as `.Profile`. */
  profile?: string | undefined;
  output: OutputFormat;
  quiet: boolean;
  /** How the action records the deferPhase it owes (default: on). */
  sessionRecord?: SessionRecordSettings | false | undefined;
}

/** Runs the action; exit code 1 when it did not succeed. */
export async function runCommand(opts: RunCommandOptions, io: CliIO): Promise<number> {
  const parsed = parseSubject(opts.subject, opts.namespace);
  const timeoutMs = opts.timeout === undefined ? undefined : parseDuration(opts.timeout);
  const doc = await readBlueprintDocument(opts.files, io, { recursive: opts.recursive });
  const artifacts = opts.artifactsFile
    ? (parseYamlText(opts.artifactsFile, await readText(opts.artifactsFile, io.cwd)) as Record<
        string,
        Artifact
      >)
    : undefined;
  const { cluster, namespace } = connectFromFlags(opts, io);
  const subject: Subject = inNamespace(parsed, namespace);

  const events = new BlueprintEvents();
  if (opts.output === "text" && !opts.quiet) {
    events.on("phase:started", (e) => {
      io.stderr.write(`> ${e.deferred ? "deferPhase" : "phase"} ${e.phase} (${e.func})\n`);
    });
    events.on("phase:progress", (e) => {
      io.stderr.write(`  ${e.phase}: ${e.message ?? `${e.percent}%`}\n`);
    });
  }
  const deadline = createDeadline({ signal: io.signal, timeoutMs }, `action ${opts.action}`);
  try {
    const result = await runBlueprintAction(doc.value, opts.action, {
      cluster,
      subject,
      signal: deadline.signal,
      events,
      options: pairs(opts.options, "--option"),
      secrets: refs(opts.secrets, "--secret"),
      configMaps: refs(opts.configMaps, "--configmap"),
      ...(artifacts ? { artifacts } : {}),
      ...(opts.profile !== undefined ? { profile: profileRef(opts.profile) } : {}),
      ...(opts.phaseTimeout !== undefined ? { phaseTimeout: opts.phaseTimeout } : {}),
      ...(opts.sessionRecord !== undefined ? { sessionRecord: opts.sessionRecord } : {}),
    });
    const label = `${subject.kind} ${subject.namespace ? `${subject.namespace}/` : ""}${subject.name}`;
    if (opts.output === "text") io.stdout.write(formatActionResult(result, label));
    else writeStructured(io, opts.output, result);
    return result.status === "succeeded" ? EXIT_OK : EXIT_FAILED;
  } finally {
    deadline.dispose();
  }
}

function pairs(list: readonly string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new UsageError(`${flag} expects key=value, got "${item}"`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

function refs(list: readonly string[], flag: string): Record<string, NamedObjectRef> {
  const out: Record<string, NamedObjectRef> = {};
  for (const [alias, ref] of Object.entries(pairs(list, flag))) {
    const [namespace, name, extra] = ref.split("/");
    if (!namespace || !name || extra !== undefined) {
      throw new UsageError(`${flag} expects alias=namespace/name, got "${alias}=${ref}"`);
    }
    out[alias] = { namespace, name };
  }
  return out;
}

/** `quiesce run` from its argv. */
export async function runCli(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    ...COMMON_FLAGS,
    ...FILE_FLAGS,
    ...CLUSTER_FLAGS,
    action: { type: "string" },
    subject: { type: "string" },
    timeout: { type: "string" },
    "phase-timeout": { type: "string" },
    option: { type: "string", multiple: true },
    secret: { type: "string", multiple: true },
    configmap: { type: "string", multiple: true },
    artifacts: { type: "string" },
    profile: { type: "string" },
    quiet: { type: "boolean", short: "q" },
    ...SESSION_FLAGS,
  });
  const files = fileArguments(positionals, values.filename);
  if (files.length === 0) throw new UsageError("run needs the Blueprint: a file, a directory or - (stdin)");
  if (!values.action) throw new UsageError("run needs --action <name>");
  if (!values.subject)
    throw new UsageError("run needs --subject <kind>/<name> (with -n) or <kind>/<namespace>/<name>");
  const output = outputFormat(values);
  await importPlugins(values.import ?? [], io.cwd);
  return runCommand(
    {
      files,
      recursive: values.recursive ?? false,
      action: values.action,
      subject: values.subject,
      namespace: values.namespace,
      kubeconfig: values.kubeconfig,
      context: values.context,
      timeout: values.timeout,
      phaseTimeout: values["phase-timeout"],
      options: values.option ?? [],
      secrets: values.secret ?? [],
      configMaps: values.configmap ?? [],
      artifactsFile: values.artifacts,
      profile: values.profile,
      output,
      quiet: values.quiet ?? false,
      sessionRecord: sessionRecordFlags(values),
    },
    io,
  );
}
