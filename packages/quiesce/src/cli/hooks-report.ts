/** Progress lines and the summary of `quiesce hooks`. */
import { formatDuration } from "@quiesce/core";
import type { HookRecord, LifecycleEmitter, SessionResult } from "@quiesce/hooks";
import type { CommandOutcome } from "./child-command.js";
import { describeSerialized } from "./describe-error.js";
import type { TextSink } from "./io.js";

const CAUSE = "              caused by: ";

const MARK: Record<string, string> = {
  succeeded: "ok",
  failed: "FAILED",
  cancelled: "CANCELLED",
  skipped: "skipped",
};

/** Writes one line per hook transition to `sink` (stderr), as the hooks run. */
export function reportProgress(events: LifecycleEmitter, sink: TextSink): void {
  const where = (e: { phase: string; name: string; namespace: string }) =>
    `${e.phase} ${e.name} (${e.namespace})`;
  events.on("hook:started", (e) => {
    sink.write(`> ${where(e)}${e.attempt > 1 ? `, attempt ${e.attempt}` : ""}\n`);
  });
  events.on("hook:attempt-failed", (e) => {
    sink.write(`  attempt ${e.attempt.attempt} of ${e.name} failed: ${attemptError(e.attempt)}\n`);
  });
  events.on("hook:retrying", (e) => {
    sink.write(`  retrying ${e.name} in ${formatDuration(e.delayMs)}\n`);
  });
  const finished = (e: { phase: string; name: string; namespace: string; hook: HookRecord }) => {
    const took = durationOf(e.hook);
    const why = e.hook.skippedBecause ? ` (${e.hook.skippedBecause})` : "";
    sink.write(`  ${MARK[e.hook.status] ?? e.hook.status} ${where(e)}${took}${why}\n`);
  };
  events.on("hook:succeeded", finished);
  events.on("hook:failed", finished);
  events.on("hook:cancelled", finished);
  events.on("hook:skipped", finished);
}

/** A headline, then one line per hook and for the command, with errors and output tails of failures. */
export function formatSession(
  result: SessionResult,
  argv: readonly string[],
  command: CommandOutcome | undefined,
): string {
  const lines = [
    `hooks session ${result.operationId}: ${result.outcome} in ${formatDuration(result.durationMs)} (${result.decidedBy})`,
  ];
  const order = ["pre", "preHook"];
  const before = result.hooks.filter((h) => order.includes(h.phase));
  const after = result.hooks.filter((h) => !order.includes(h.phase));
  for (const hook of before) lines.push(...hookLines(hook));
  const step = result.step;
  const label = argv.length > 0 ? argv.join(" ") : "(none)";
  const exit = command ? `, exit code ${command.exitCode}` : "";
  const stepTook = command ? ` ${formatDuration(command.durationMs)}` : "";
  lines.push(
    `  ${(MARK[step.status] ?? step.status).padEnd(9)} command ${label}${stepTook}${step.status === "skipped" ? "" : exit}`,
  );
  if (step.error && step.status !== "succeeded")
    lines.push(`            error: ${describeSerialized(step.error, CAUSE)}`);
  for (const hook of after) lines.push(...hookLines(hook));
  if (result.hookStatus) {
    lines.push(
      `  velero hookStatus: ${result.hookStatus.hooksAttempted} attempted, ${result.hookStatus.hooksFailed} failed`,
    );
  }
  const record = result.sessionRecord;
  if (record && (record.warnings?.length || record.error)) {
    lines.push(`  session record ${record.namespace}/${record.name}: ${record.state}`);
    for (const w of record.warnings ?? []) lines.push(`            warning: ${describeSerialized(w, CAUSE)}`);
    if (record.error) lines.push(`            error: ${describeSerialized(record.error, CAUSE)}`);
  }
  return `${lines.join("\n")}\n`;
}

function hookLines(hook: HookRecord): string[] {
  const took = durationOf(hook);
  const tries = hook.attempts.length > 1 ? `, ${hook.attempts.length} attempts` : "";
  const why = hook.skippedBecause ? ` (${hook.skippedBecause})` : "";
  const lines = [
    `  ${(MARK[hook.status] ?? hook.status).padEnd(9)} ${hook.phase} ${hook.name} [${hook.kind}] in ${hook.namespace}${took}${tries}${why}`,
  ];
  for (const w of hook.warnings ?? []) lines.push(`            warning: ${describeSerialized(w, CAUSE)}`);
  if (hook.status === "failed" || hook.status === "cancelled") {
    if (hook.error) lines.push(`            error: ${describeSerialized(hook.error, CAUSE)}`);
    for (const t of hook.targets) {
      if (t.status === "succeeded") continue;
      const code = t.exitCode === undefined ? "" : ` exit code ${t.exitCode}`;
      const tail = (t.stderr || t.stdout || "").trim().split("\n").slice(-3).join(" | ");
      lines.push(
        `            ${t.namespace ? `${t.namespace}/` : ""}${t.name}:${code}${tail ? ` ${tail}` : ""}`,
      );
    }
  }
  return lines;
}

function durationOf(hook: HookRecord): string {
  if (!hook.startedAt || !hook.finishedAt) return "";
  return ` ${formatDuration(Date.parse(hook.finishedAt) - Date.parse(hook.startedAt))}`;
}

function attemptError(attempt: { error?: { message: string }; exitCode?: number }): string {
  if (attempt.error) return attempt.error.message.split("\n")[0] ?? attempt.error.message;
  return attempt.exitCode === undefined ? "failed" : `exit code ${attempt.exitCode}`;
}
