/**
 * `quiesce hooks [-f docs] [--pre …] [--post …] -- <command>`: KubeStash, Velero and K10 hooks
 * around a local command (a backup tool, a restore script), with progress and a summary.
 */
import { QuiesceError } from "@quiesce/core";
import type { SessionRecordSettings } from "@quiesce/kube";
import "@quiesce/functions/builtins";
import { createLifecycleEvents, resolveVeleroRestoreHooks, runWithHooks, type Step } from "@quiesce/hooks";
import { COMMAND_FAILED, type CommandOutcome, runChildCommand } from "./child-command.js";
import { connectFromFlags } from "./connect-flags.js";
import { readDocuments, type SourceDocument } from "./documents.js";
import { CLUSTER_FLAGS, COMMON_FLAGS, FILE_FLAGS, parseCommand } from "./flags.js";
import { planHooks } from "./hooks-plan.js";
import { formatSession, reportProgress } from "./hooks-report.js";
import { type CliIO, EXIT_FAILED, EXIT_OK, UsageError } from "./io.js";
import { type OutputFormat, outputFormat, writeStructured } from "./output.js";
import { importPlugins } from "./plugins.js";
import { profileRef } from "./profile-flag.js";
import { SESSION_FLAGS, sessionRecordFlags } from "./session-flags.js";

/** `quiesce hooks` from its argv. */
export async function hooksCli(args: readonly string[], io: CliIO): Promise<number> {
  const end = args.indexOf("--");
  const own = end < 0 ? args : args.slice(0, end);
  const command = end < 0 ? [] : args.slice(end + 1);
  const { values, positionals } = parseCommand(own, {
    ...COMMON_FLAGS,
    ...FILE_FLAGS,
    ...CLUSTER_FLAGS,
    pre: { type: "string", multiple: true },
    post: { type: "string", multiple: true },
    "pre-hook": { type: "string", multiple: true },
    "on-success": { type: "string", multiple: true },
    "on-failure": { type: "string", multiple: true },
    param: { type: "string", multiple: true },
    subject: { type: "string" },
    session: { type: "string" },
    "hook-timeout": { type: "string" },
    "cleanup-timeout": { type: "string" },
    profile: { type: "string" },
    quiet: { type: "boolean", short: "q" },
    ...SESSION_FLAGS,
  });
  if (positionals.length > 0) {
    throw new UsageError(
      `unexpected argument "${positionals[0]}": documents go after -f, the command after --`,
    );
  }
  const output = outputFormat(values);
  await importPlugins(values.import ?? [], io.cwd);
  const docs = values.filename?.length
    ? await readDocuments(values.filename, io, { recursive: values.recursive ?? false })
    : [];
  return hooksCommand(
    {
      docs,
      command,
      output,
      quiet: values.quiet ?? false,
      kubeconfig: values.kubeconfig,
      context: values.context,
      namespace: values.namespace,
      hookTimeout: values["hook-timeout"],
      cleanupTimeout: values["cleanup-timeout"],
      sessionRecord: sessionRecordFlags(values),
      profile: values.profile,
      flags: {
        pre: values.pre ?? [],
        post: values.post ?? [],
        preHook: values["pre-hook"] ?? [],
        onSuccess: values["on-success"] ?? [],
        onFailure: values["on-failure"] ?? [],
        params: pairs(values.param ?? []),
        subject: values.subject,
        session: values.session,
      },
    },
    io,
  );
}

/** Options of {@link hooksCommand}. */
export interface HooksCommandOptions {
  docs: readonly SourceDocument[];
  /** argv of the command; empty: the hooks run around nothing. */
  command: readonly string[];
  output: OutputFormat;
  quiet: boolean;
  kubeconfig?: string | undefined;
  context?: string | undefined;
  namespace?: string | undefined;
  hookTimeout?: string | undefined;
  cleanupTimeout?: string | undefined;
  /** How the session records the cleanup it owes (default: on). */
  sessionRecord?: SessionRecordSettings | false | undefined;
  /** `namespace/name` of the Kanister Profile Blueprint hooks see as `.Profile`. */
  profile?: string | undefined;
  flags: Omit<Parameters<typeof planHooks>[1], "namespace" | "namespaceGiven">;
}

/**
 * Runs the session. Exit code: 0 when everything succeeded; the command's own exit code when it
 * ran and failed; 1 when a hook failed (or the command could not start).
 */
export async function hooksCommand(opts: HooksCommandOptions, io: CliIO): Promise<number> {
  const { cluster, namespace: contextNamespace } = connectFromFlags(opts, io);
  const namespace = opts.namespace ?? contextNamespace;
  const plan = await planHooks(
    opts.docs,
    { ...opts.flags, namespace, namespaceGiven: opts.namespace !== undefined },
    cluster,
    io.signal,
  );
  const progress = opts.output === "text" && !opts.quiet;
  if (progress) for (const note of plan.notes) io.stderr.write(`${note}\n`);
  const events = createLifecycleEvents();
  if (progress) reportProgress(events, io.stderr);

  let outcome: CommandOutcome | undefined;
  const runCommand = async (signal: AbortSignal): Promise<CommandOutcome | undefined> => {
    if (opts.command.length === 0) return undefined;
    if (progress) io.stderr.write(`> command ${opts.command.join(" ")}\n`);
    let done: CommandOutcome;
    try {
      done = await runChildCommand(opts.command, io, signal);
    } catch (err) {
      // Not started (not found, not executable): remember the shell's exit code for it.
      const exitCode = err instanceof QuiesceError ? err.details.exitCode : undefined;
      if (typeof exitCode === "number") outcome = { argv: [...opts.command], exitCode, durationMs: 0 };
      throw err;
    }
    if (progress) io.stderr.write(`  command exited with code ${done.exitCode}\n`);
    return done;
  };
  const stepOf = (result: CommandOutcome | undefined) => {
    if (result && result.exitCode !== 0) {
      throw new QuiesceError(COMMAND_FAILED, `${result.argv.join(" ")} exited with code ${result.exitCode}`, {
        details: { ...result },
      });
    }
    return result ? { exitCode: result.exitCode, durationMs: result.durationMs } : {};
  };

  let hooks = plan.hooks;
  let step: Step;
  if (plan.veleroRestore) {
    // Velero runs restore hooks in the pods it restored: the command restores first, then the
    // hooks are resolved against what it created.
    outcome = await runCommand(io.signal ?? new AbortController().signal);
    const velero = await resolveVeleroRestoreHooks({
      cluster,
      hooks: plan.veleroRestore,
      ...(io.signal ? { signal: io.signal } : {}),
    });
    if (progress) {
      for (const h of velero.planned)
        io.stderr.write(
          `velero: post hook ${h.name} on ${h.namespace}/${h.pod} [${h.container}]: ${h.command.join(" ")}\n`,
        );
      for (const s of velero.skipped)
        io.stderr.write(`velero: skipped ${s.namespace}/${s.pod}: ${s.reason}\n`);
      for (const w of velero.warnings)
        io.stderr.write(`warning: velero: ${w.namespace}/${w.pod}: ${w.path}: ${w.message}\n`);
      for (const u of velero.unsupported)
        io.stderr.write(`velero: not run: ${u.rule}[${u.index}]: ${u.message}\n`);
    }
    hooks = { post: velero.post };
    step = async () => stepOf(outcome);
  } else {
    step = async ({ signal }) => {
      outcome = await runCommand(signal);
      return stepOf(outcome);
    };
  }

  const result = await runWithHooks(
    {
      cluster,
      subject: plan.subject,
      hooks,
      templates: plan.templates,
      events,
      ...(io.signal ? { signal: io.signal } : {}),
      ...(opts.hookTimeout !== undefined ? { defaultHookTimeout: opts.hookTimeout } : {}),
      ...(opts.cleanupTimeout !== undefined ? { cleanupTimeout: opts.cleanupTimeout } : {}),
      ...(opts.sessionRecord !== undefined ? { sessionRecord: opts.sessionRecord } : {}),
      ...(opts.profile !== undefined ? { profile: profileRef(opts.profile) } : {}),
    },
    step,
  );
  if (opts.output === "text") io.stdout.write(formatSession(result, opts.command, outcome));
  else writeStructured(io, opts.output, { ...result, ...(outcome ? { command: outcome } : {}) });
  if (result.outcome === "succeeded") return EXIT_OK;
  if (outcome && outcome.exitCode !== 0) return outcome.exitCode;
  return EXIT_FAILED;
}

function pairs(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new UsageError(`--param expects key=value, got "${item}"`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}
