/** A readable summary of a Blueprint ActionResult. */
import { formatDuration, type SerializedError } from "@quiesce/core";
import type { ActionResult, PhaseResult } from "@quiesce/functions";
import { describeSerialized } from "./describe-error.js";

const MARK: Record<string, string> = {
  succeeded: "ok",
  failed: "FAILED",
  cancelled: "CANCELLED",
  skipped: "skipped",
};

/** Formats the result: a headline, one line per phase (with outputs and errors), then the output artifacts. */
export function formatActionResult(result: ActionResult, subject: string): string {
  const lines = [
    `action ${result.action} on ${subject}: ${result.status} in ${formatDuration(result.durationMs)}`,
  ];
  for (const phase of result.phases) lines.push(...phaseLines(phase, "phase"));
  if (result.deferPhase) lines.push(...phaseLines(result.deferPhase, "deferPhase"));
  const artifacts = Object.entries(result.outputArtifacts);
  if (artifacts.length > 0) {
    lines.push("output artifacts:");
    for (const [name, artifact] of artifacts) lines.push(`  ${name}: ${JSON.stringify(artifact)}`);
  }
  if (result.error && !result.phases.some((p) => p.error) && !result.deferPhase?.error) {
    lines.push(`error: ${errorText(result.error)}`);
  }
  // What went wrong without failing the action (its session record falling behind, …).
  for (const warning of result.warnings ?? []) lines.push(`warning: ${errorText(warning)}`);
  return `${lines.join("\n")}\n`;
}

function phaseLines(phase: PhaseResult, label: string): string[] {
  const took = phase.durationMs !== undefined ? ` ${formatDuration(phase.durationMs)}` : "";
  const lines = [
    `  ${(MARK[phase.status] ?? phase.status).padEnd(9)} ${label} ${phase.name} (${phase.func})${took}`,
  ];
  const outputs = Object.entries(phase.output);
  if (outputs.length > 0) lines.push(`            output: ${JSON.stringify(phase.output)}`);
  if (phase.error) lines.push(`            error: ${errorText(phase.error)}`);
  return lines;
}

/** `message [CODE]`, then the causes' first lines when they add something (no HTTP dumps). */
export function errorText(error: SerializedError): string {
  return describeSerialized(error, "              caused by: ");
}
