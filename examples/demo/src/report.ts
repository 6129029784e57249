/**
 * The demo's output: a timeline (one line per hook, step and phase transition, from the typed
 * events) and summary tables built from the result objects.
 */
import type { SerializedError } from "@quiesce/core";
import type { ActionResult, BlueprintEvents, PhaseResult } from "@quiesce/functions";
import type { HookRecord, LifecycleEmitter, SessionResult, StepRecord, TargetRecord } from "@quiesce/hooks";

/** Where lines go and whether they may carry ANSI colours. */
export interface ReportOptions {
  out: (line: string) => void;
  color?: boolean;
}

const COLORS: Record<string, string> = {
  succeeded: "32",
  passed: "32",
  failed: "31",
  cancelled: "31",
  skipped: "33",
  started: "36",
  retrying: "33",
};

/** Colours a status word (only when colours are on). */
function paint(text: string, color: boolean): string {
  const code = COLORS[text.trim()];
  return color && code ? `\x1b[${code}m${text}\x1b[0m` : text;
}

/** `1.234s` / `45ms`. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return "-";
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)}s` : `${Math.round(ms)}ms`;
}

const between = (start: string | undefined, end: string | undefined) =>
  start && end ? Date.parse(end) - Date.parse(start) : undefined;

/** Keeps a one-line note short. */
function clip(text: string, max = 72): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The last non-empty line of a tail. */
const lastLine = (text: string | undefined) =>
  text
    ?.trimEnd()
    .split("\n")
    .filter((l) => l.trim())
    .at(-1) ?? "";

/** Pods as `pod/container`; the Operator executor's target (the host itself) has no namespace. */
function targetNames(targets: readonly TargetRecord[]): string {
  if (targets.length === 0) return "-";
  return targets.map((t) => (t.namespace === undefined ? `${t.name} (host)` : t.name)).join(", ");
}

/** An error's message, with the last line of the output it carries (a failed one-off pod's log). */
function errorNote(error: SerializedError, max = 72): string {
  const output = error.details?.logs ?? error.details?.stderr;
  const last = typeof output === "string" ? lastLine(output) : "";
  return clip(last ? `${error.message} — ${last}` : error.message, max);
}

/** The one-line note of a hook: why it was skipped, what failed, or what it answered. */
function hookNote(hook: HookRecord): string {
  if (hook.status === "skipped") {
    const policy = hook.executionPolicy ? ` ${hook.executionPolicy}` : "";
    return `not run: ${hook.skippedBecause ?? "?"}${policy}`;
  }
  if (hook.error && hook.status !== "succeeded") return clip(hook.error.message);
  const first = hook.targets[0];
  if (first?.httpStatus !== undefined) return `HTTP ${first.httpStatus}`;
  return clip(lastLine(first?.stdout));
}

/**
 * Prints timeline lines as events arrive: `+0.412s  backup   pre   freeze   succeeded  38ms  on …`.
 * Times are relative to `start` (ms from `performance.now()`).
 */
export class Timeline {
  readonly #out: (line: string) => void;
  readonly #color: boolean;
  readonly #start: number;

  constructor(options: ReportOptions & { start?: number }) {
    this.#out = options.out;
    this.#color = options.color ?? false;
    this.#start = options.start ?? performance.now();
  }

  /** One timeline line. */
  line(section: string, phase: string, name: string, status: string, detail = ""): void {
    const at = `+${((performance.now() - this.#start) / 1000).toFixed(3)}s`.padStart(9);
    const text = [
      at,
      section.padEnd(8),
      phase.padEnd(10),
      name.padEnd(20),
      paint(status.padEnd(10), this.#color),
      detail,
    ];
    this.#out(text.join(" ").trimEnd());
  }

  /** Follows a hook session's events. */
  followSession(events: LifecycleEmitter, section: string): void {
    events.on("hook:started", (e) =>
      this.line(section, e.phase, e.name, "started", e.attempt > 1 ? `attempt ${e.attempt}` : ""),
    );
    events.on("hook:attempt-failed", (e) =>
      this.line(
        section,
        e.phase,
        e.name,
        "failed",
        `attempt ${e.attempt.attempt}: ${clip(e.attempt.error?.message ?? "", 60)}`,
      ),
    );
    events.on("hook:retrying", (e) =>
      this.line(section, e.phase, e.name, "retrying", `attempt ${e.nextAttempt} in ${formatMs(e.delayMs)}`),
    );
    const finished = (e: { phase: string; name: string; hook: HookRecord }) => {
      const { hook } = e;
      const detail =
        hook.status === "skipped"
          ? hookNote(hook)
          : `${formatMs(between(hook.startedAt, hook.finishedAt)).padEnd(7)} on ${targetNames(hook.targets)}${
              hook.status === "succeeded" ? "" : ` — ${hookNote(hook)}`
            }`;
      this.line(section, e.phase, e.name, hook.status, detail);
    };
    events.on("hook:succeeded", finished);
    events.on("hook:failed", finished);
    events.on("hook:cancelled", finished);
    events.on("hook:skipped", finished);
    events.on("step:started", () => this.line(section, "step", "copy-claims", "started"));
    events.on("step:finished", ({ step }) => {
      const took = formatMs(between(step.startedAt, step.finishedAt)).padEnd(7);
      const note = stepNote(step, 90);
      this.line(section, "step", "copy-claims", step.status, `${took} ${note}`);
    });
  }

  /** Follows a Blueprint action's events. */
  followBlueprint(events: BlueprintEvents, section: string): void {
    const label = (e: { func: string; deferred: boolean }) => (e.deferred ? "deferPhase" : "phase");
    events.on("phase:started", (e) => this.line(section, label(e), e.phase, "started", e.func));
    events.on("phase:succeeded", (e) =>
      this.line(
        section,
        label(e),
        e.phase,
        "succeeded",
        `${formatMs(e.result.durationMs).padEnd(7)} ${outputsNote(e.result)}`,
      ),
    );
    events.on("phase:failed", (e) =>
      this.line(
        section,
        label(e),
        e.phase,
        "failed",
        `${formatMs(e.result.durationMs).padEnd(7)} ${errorNote(e.error, 150)}`,
      ),
    );
  }
}

/** The step's error, why it was skipped, or its outputs. */
function stepNote(step: StepRecord, max = 72): string {
  if (step.error) return clip(step.error.message, max);
  if (step.status === "skipped") return `not run: ${step.skippedBecause ?? "?"}`;
  return clip(formatOutputs(step.outputs), max);
}

function formatOutputs(outputs: Record<string, unknown>): string {
  return Object.entries(outputs)
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(", ");
}

function outputsNote(phase: PhaseResult): string {
  return clip(formatOutputs(phase.output));
}

/** Renders rows as an aligned text table with a header rule. */
export function renderTable(headers: readonly string[], rows: readonly string[][], color = false): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const format = (cells: readonly string[], colored: boolean) =>
    cells
      .map((cell, i) => {
        const padded = cell.padEnd(widths[i] ?? 0);
        return colored && headers[i] === "status" ? paint(padded, color) : padded;
      })
      .join(" | ")
      .trimEnd();
  return [
    format(headers, false),
    widths.map((w) => "-".repeat(w)).join("-+-"),
    ...rows.map((r) => format(r, true)),
  ];
}

const HEADERS = ["hook", "phase", "status", "attempts", "targets", "duration", "note"];

/** The backup session's table: its hooks in lifecycle order, with the host's step among them. */
export function sessionTable(result: SessionResult, color = false): string[] {
  const hookRow = (h: HookRecord) => [
    h.name,
    h.executionPolicy ? `${h.phase} (${h.executionPolicy})` : h.phase,
    h.status,
    String(h.attempts.length),
    targetNames(h.targets),
    formatMs(between(h.startedAt, h.finishedAt)),
    hookNote(h),
  ];
  const { step } = result;
  const stepRow = [
    "copy-claims",
    "step",
    step.status,
    step.status === "skipped" ? "0" : "1",
    "host",
    formatMs(between(step.startedAt, step.finishedAt)),
    stepNote(step),
  ];
  const before = result.hooks.filter((h) => h.phase === "pre" || h.phase === "preHook");
  const after = result.hooks.filter((h) => h.phase !== "pre" && h.phase !== "preHook");
  return renderTable(HEADERS, [...before.map(hookRow), stepRow, ...after.map(hookRow)], color);
}

/** The restore action's table: one row per phase, then the deferPhase. */
export function actionTable(result: ActionResult, target: string, color = false): string[] {
  const row = (p: PhaseResult, deferred: boolean) => [
    p.name,
    deferred ? `deferPhase ${p.func}` : `phase ${p.func}`,
    p.status,
    p.status === "skipped" ? "0" : "1",
    target,
    formatMs(p.durationMs),
    p.error ? errorNote(p.error, 150) : outputsNote(p),
  ];
  const rows = result.phases.map((p) => row(p, false));
  if (result.deferPhase) rows.push(row(result.deferPhase, true));
  return renderTable(HEADERS, rows, color);
}
