/**
 * What one render may spend: evaluation steps, bytes of work, the size of any one value, output,
 * wall-clock time, and the caller's AbortSignal. Counters are plain numbers compared on every step;
 * the clock and the signal are read only at checkpoints (every 1,024 steps and every MiB of work), so
 * the bounds cost next to nothing on templates that stay inside them.
 */
import { type ErrorCode, ErrorCodes, QuiesceError } from "@quiesce/core";

/** Limits of one render (and of one `renderArgs` tree, whose strings share the budget). */
export interface TemplateLimits {
  /** Evaluation steps (actions, commands, range iterations, template calls). Default 1,000,000. */
  maxSteps?: number;
  /** Output of one template, in UTF-8 bytes. Default 4 MiB. */
  maxOutputBytes?: number;
  /** Nesting of `{{template}}` calls. Default 200. */
  maxDepth?: number;
  /**
   * The largest value one function call may build: a string's length, a list's elements at 8 bytes
   * each. A function that would build more fails before allocating it. Default 16 MiB.
   */
  maxValueBytes?: number;
  /**
   * Work of the whole render, in bytes: what every function call reads from its string and list
   * arguments and builds, summed (deep copies, comparisons and merges count the entries they visit).
   * Bounds CPU time and memory alike. Default 64 MiB.
   */
  maxWorkBytes?: number;
  /** Wall-clock time of the render in milliseconds, checked inside loops. Default 5,000. */
  timeoutMs?: number;
}

/** Every limit of a render, defaults filled in. */
export type ResolvedLimits = Readonly<Required<TemplateLimits>>;

/**
 * Default limits of one render: generous for any real Blueprint or HookTemplate (they render in
 * microseconds), small enough that any template ends within about a second and a few hundred MiB.
 *
 * @example
 * ```ts
 * render(source, data, { limits: { maxSteps: DEFAULT_LIMITS.maxSteps / 10 } });
 * ```
 */
export const DEFAULT_LIMITS: ResolvedLimits = Object.freeze({
  maxSteps: 1_000_000,
  maxOutputBytes: 4 * 1024 * 1024,
  maxDepth: 200,
  maxValueBytes: 16 * 1024 * 1024,
  maxWorkBytes: 64 * 1024 * 1024,
  timeoutMs: 5_000,
});

const LIMIT_KEYS = Object.keys(DEFAULT_LIMITS) as (keyof TemplateLimits)[];

/**
 * The defaults with `limits` laid over them; throws `QUIESCE_VALIDATION` naming a limit that is not a
 * positive integer or that does not exist.
 */
export function resolveLimits(
  limits: TemplateLimits | undefined,
  base: ResolvedLimits = DEFAULT_LIMITS,
): ResolvedLimits {
  if (limits === undefined || limits === base) return base;
  if (typeof limits !== "object" || limits === null) {
    throw new QuiesceError(ErrorCodes.VALIDATION, `limits must be an object, got ${String(limits)}`);
  }
  const out: Required<TemplateLimits> = { ...base };
  for (const key of Object.keys(limits)) {
    if (!(LIMIT_KEYS as string[]).includes(key)) {
      throw new QuiesceError(
        ErrorCodes.VALIDATION,
        `limits.${key} is not a template limit (${LIMIT_KEYS.join(", ")})`,
      );
    }
    const v = limits[key as keyof TemplateLimits];
    if (v === undefined) continue;
    if (!Number.isSafeInteger(v) || v <= 0) {
      throw new QuiesceError(
        ErrorCodes.VALIDATION,
        `limits.${key} must be a positive integer, got ${String(v)}`,
      );
    }
    out[key as keyof TemplateLimits] = v;
  }
  return Object.freeze(out);
}

/**
 * Why a render must stop: a limit (`QUIESCE_TEMPLATE_LIMIT`) or the caller's abort (`QUIESCE_ABORTED`).
 * Engines turn it into a TemplateError naming the template and position.
 */
export class BudgetExceeded extends QuiesceError {
  override name = "BudgetExceeded";
  constructor(
    code: ErrorCode,
    readonly reason: string,
    options: { cause?: unknown } = {},
  ) {
    super(code, reason, options);
  }
}

/** Steps between two readings of the clock and the signal. */
const STEP_CHECKPOINT = 1024;
/** Work bytes between two readings of the clock and the signal. */
const WORK_CHECKPOINT = 1 << 20;

/**
 * The counters of one render — or of several renders that share one budget, as the strings of a
 * `renderArgs` tree do. Engines count into it; a host passes one to `CompiledTemplate.render` to
 * bound a group of renders together.
 *
 * @example
 * ```ts
 * const budget = new RenderBudget(resolveLimits({ maxWorkBytes: 1 << 20 }), signal);
 * for (const t of templates) t.render(data, { budget });
 * ```
 */
export class RenderBudget {
  /** Steps taken so far. */
  steps = 0;
  /** Work bytes spent so far. */
  work = 0;
  /** The step count at which {@link checkpoint} runs next. */
  stepLimit: number;
  /** The work count at which {@link checkpoint} runs next. */
  workLimit: number;
  /**
   * `performance.now()` past which rendering stops, set at the first checkpoint: the clock is not
   * read at all by renders that end before one (nearly all), and what precedes it is bounded work.
   */
  private deadline = Number.NaN;

  constructor(
    readonly limits: ResolvedLimits = DEFAULT_LIMITS,
    readonly signal?: AbortSignal,
  ) {
    this.stepLimit = Math.min(limits.maxSteps, STEP_CHECKPOINT);
    this.workLimit = Math.min(limits.maxWorkBytes, WORK_CHECKPOINT);
  }

  /**
   * Called when a counter passes its checkpoint: throws {@link BudgetExceeded} when a limit is spent,
   * the deadline passed or the signal aborted; otherwise sets the next checkpoints.
   */
  checkpoint(): void {
    const { limits } = this;
    if (this.steps > limits.maxSteps) {
      throw new BudgetExceeded(
        ErrorCodes.TEMPLATE_LIMIT,
        `template exceeded its budget of ${limits.maxSteps} evaluation steps (limits.maxSteps)`,
      );
    }
    if (this.work > limits.maxWorkBytes) {
      throw new BudgetExceeded(
        ErrorCodes.TEMPLATE_LIMIT,
        `template exceeded its budget of ${limits.maxWorkBytes} bytes of work (limits.maxWorkBytes)`,
      );
    }
    this.checkInterrupt();
    this.stepLimit = Math.min(limits.maxSteps, this.steps + STEP_CHECKPOINT);
    this.workLimit = Math.min(limits.maxWorkBytes, this.work + WORK_CHECKPOINT);
  }

  /** Throws when the caller aborted or the render's time is up. */
  checkInterrupt(): void {
    this.checkSignal();
    const now = performance.now();
    if (Number.isNaN(this.deadline)) this.deadline = now + this.limits.timeoutMs;
    else if (now > this.deadline) {
      throw new BudgetExceeded(
        ErrorCodes.TEMPLATE_LIMIT,
        `rendering exceeded its time limit of ${this.limits.timeoutMs} ms (limits.timeoutMs)`,
      );
    }
  }

  /** Throws when the caller aborted. */
  checkSignal(): void {
    if (this.signal?.aborted) {
      throw new BudgetExceeded(ErrorCodes.ABORTED, "rendering was aborted", { cause: this.signal.reason });
    }
  }

  /** Counts `bytes` of work. */
  charge(bytes: number): void {
    this.work += bytes;
    if (this.work > this.workLimit) this.checkpoint();
  }

  /** Fails when a value of `bytes` is larger than a function may build (`fn` names the function). */
  checkValue(fn: string, bytes: number): void {
    if (bytes > this.limits.maxValueBytes) {
      throw new BudgetExceeded(
        ErrorCodes.TEMPLATE_LIMIT,
        `${fn}: a value of ${bytes} bytes exceeds the limit of ${this.limits.maxValueBytes} (limits.maxValueBytes)`,
      );
    }
  }
}

/**
 * The budget of the render in progress, for template functions to charge what they build. Rendering
 * is synchronous, so one module-level slot suffices; nested renders (a host function that renders)
 * save and restore it.
 */
let active: RenderBudget | undefined;

/**
 * Makes `budget` the active one and returns the previous one, which the caller restores with
 * {@link restoreBudget} in a `finally` (no closure per render).
 */
export function enterBudget(budget: RenderBudget): RenderBudget | undefined {
  const previous = active;
  active = budget;
  return previous;
}

/** Restores the budget {@link enterBudget} returned. */
export function restoreBudget(previous: RenderBudget | undefined): void {
  active = previous;
}

/** The active render's budget, if a render is in progress. */
export function activeBudget(): RenderBudget | undefined {
  return active;
}

/** The `maxValueBytes` of the render in progress (the default outside a render). */
export function maxValueBytes(): number {
  return active === undefined ? DEFAULT_LIMITS.maxValueBytes : active.limits.maxValueBytes;
}

/** Charges `bytes` of work to the render in progress (no-op outside a render). */
export function chargeWork(bytes: number): void {
  active?.charge(bytes);
}

/**
 * Fails when a function is about to build a value larger than the render's `maxValueBytes` (the
 * default limit outside a render), before it allocates it.
 */
export function checkValueSize(fn: string, bytes: number): void {
  if (active !== undefined) active.checkValue(fn, bytes);
  else if (bytes > DEFAULT_LIMITS.maxValueBytes) {
    throw new BudgetExceeded(
      ErrorCodes.TEMPLATE_LIMIT,
      `${fn}: a value of ${bytes} bytes exceeds the limit of ${DEFAULT_LIMITS.maxValueBytes} (limits.maxValueBytes)`,
    );
  }
}

/** The size a built value is charged: a string's length, bytes, 8 bytes per list element; 0 otherwise. */
export function valueSize(v: unknown): number {
  if (typeof v === "string") return v.length;
  if (typeof v !== "object" || v === null) return 0;
  if (Array.isArray(v)) return v.length * 8;
  if (v instanceof Uint8Array) return v.length;
  return 0;
}
