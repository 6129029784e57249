/**
 * `quiesce recover`: runs the cleanup that sessions of dead hosts still owe (thaws, post hooks,
 * deferPhases), found by their Leases; several copies may run at once.
 */
import { formatDuration } from "@quiesce/core";
import "@quiesce/functions/builtins";
import {
  createLifecycleEvents,
  createRecoveryEvents,
  type RecoveredSession,
  type RecoveryReport,
  recoverSessions,
} from "@quiesce/hooks";
import { connectFromFlags } from "./connect-flags.js";
import { CLUSTER_FLAGS, COMMON_FLAGS, parseCommand } from "./flags.js";
import { formatSession, reportProgress } from "./hooks-report.js";
import { type CliIO, EXIT_FAILED, EXIT_OK, UsageError } from "./io.js";
import { type OutputFormat, outputFormat, writeStructured } from "./output.js";
import { importPlugins } from "./plugins.js";
import { leaseSeconds } from "./session-flags.js";
import { formatActionResult } from "./summary.js";

/** Options of {@link recoverCommand}. */
export interface RecoverCommandOptions {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  /** One namespace (`-n`); default the context's. */
  namespace?: string | undefined;
  /** `-A`: every namespace. */
  allNamespaces: boolean;
  identity?: string | undefined;
  leaseDuration?: string | undefined;
  retryFailed: boolean;
  output: OutputFormat;
  quiet: boolean;
}

/** Recovers; exit code 1 when some owed cleanup still failed. */
export async function recoverCommand(opts: RecoverCommandOptions, io: CliIO): Promise<number> {
  const { cluster, namespace } = connectFromFlags(opts, io);
  const namespaces = opts.allNamespaces ? undefined : [opts.namespace ?? namespace];
  const progress = opts.output === "text" && !opts.quiet;
  const events = createRecoveryEvents();
  const hookEvents = createLifecycleEvents();
  if (progress) {
    events.on("sessions:watching", ({ sessions, waitMs }) =>
      io.stderr.write(
        `watching ${sessions} held session Lease${sessions === 1 ? "" : "s"} for ${formatDuration(waitMs)}: a live holder renews its Lease in that time\n`,
      ),
    );
    events.on("session:recovering", (s) =>
      io.stderr.write(
        `> recovering ${s.namespace}/${s.name} (${s.kind}), held by ${s.previousHolder || "nobody"}\n`,
      ),
    );
    reportProgress(hookEvents, io.stderr);
  }
  const report = await recoverSessions({
    cluster,
    namespaces,
    identity: opts.identity,
    leaseDurationSeconds: leaseSeconds(opts.leaseDuration),
    retryFailed: opts.retryFailed,
    events,
    hookEvents,
    ...(io.signal ? { signal: io.signal } : {}),
  });
  if (opts.output === "text") io.stdout.write(formatReport(report, namespaces));
  else writeStructured(io, opts.output, report);
  return report.recovered.every((s) => s.cleanup === "completed") ? EXIT_OK : EXIT_FAILED;
}

function formatReport(report: RecoveryReport, namespaces: readonly string[] | undefined): string {
  const where = namespaces ? `namespace ${namespaces.join(", ")}` : "all namespaces";
  const lines = [
    `recovery by ${report.identity || "(nobody: nothing to take)"} in ${where}: ${report.recovered.length} session${report.recovered.length === 1 ? "" : "s"} recovered, ${report.skipped.length} left alone, in ${formatDuration(report.durationMs)}`,
  ];
  for (const s of report.recovered) lines.push(...sessionLines(s));
  for (const s of report.skipped) {
    const holder = s.holder ? ` (held by ${s.holder})` : "";
    const why = s.error ? `: ${s.error.message}` : "";
    lines.push(`  left alone ${s.namespace}/${s.name}: ${s.reason}${holder}${why}`);
  }
  for (const l of report.removedLeases)
    lines.push(`  removed Lease ${l.namespace}/${l.name} (its record was gone)`);
  return `${lines.join("\n")}\n`;
}

function sessionLines(s: RecoveredSession): string[] {
  const head = `${s.namespace}/${s.name}: ${s.kind} ${s.operation}, held by ${s.previousHolder || "nobody"}: cleanup ${s.cleanup}`;
  const body = s.session
    ? formatSession(s.session, ["(the session's step)"], undefined)
    : s.action
      ? formatActionResult(s.action, s.namespace)
      : s.error
        ? `error: ${s.error.message}\n`
        : "";
  return [
    head,
    ...body
      .trimEnd()
      .split("\n")
      .map((l) => `  ${l}`),
  ];
}

/** `quiesce recover` from its argv. */
export async function recoverCli(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    ...COMMON_FLAGS,
    ...CLUSTER_FLAGS,
    "all-namespaces": { type: "boolean", short: "A" },
    identity: { type: "string" },
    "lease-duration": { type: "string" },
    "retry-failed": { type: "boolean" },
    quiet: { type: "boolean", short: "q" },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values["all-namespaces"] && values.namespace !== undefined) {
    throw new UsageError("-A (every namespace) and -n (one namespace) exclude each other");
  }
  const output = outputFormat(values);
  await importPlugins(values.import ?? [], io.cwd);
  return recoverCommand(
    {
      kubeconfig: values.kubeconfig,
      context: values.context,
      namespace: values.namespace,
      allNamespaces: values["all-namespaces"] ?? false,
      identity: values.identity,
      leaseDuration: values["lease-duration"],
      retryFailed: values["retry-failed"] ?? false,
      output,
      quiet: values.quiet ?? false,
    },
    io,
  );
}
