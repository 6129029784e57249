/** Execution state of one render, and the internal failure the evaluator throws. */

import type { ErrorCode } from "@quiesce/core";
import { ErrorCodes } from "@quiesce/core";
import { BudgetExceeded, type RenderBudget, type ResolvedLimits } from "../budget.js";
import { type ArgNode, type CommandNode, type Node, nodeString } from "./ast.js";

/** Marks "no value from the previous pipeline stage" (Go's missingVal). */
export const MISSING: unique symbol = Symbol("missing");

/** A failure inside the evaluator, turned into a TemplateError at the top. */
export class ExecFailure extends Error {
  constructor(
    readonly reason: string,
    readonly code: ErrorCode,
    readonly template: string,
    readonly node: ArgNode | CommandNode | Node | null,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }

  /** Go's `String()` of the failing node, computed only when reported. */
  get expression(): string | undefined {
    return this.node ? nodeString(this.node) : undefined;
  }
}

/** Go's `missingkey` option: "error" (Kanister's), "zero", or "default" (Go's own default). */
export type MissingKeyMode = "error" | "zero" | "default";

/** Limits of one render (every field set). */
export type ExecLimits = ResolvedLimits;

/** Mutable state of one render (output buffer, budget, current template name). */
export class State {
  out = "";
  depth = 0;
  readonly limits: ExecLimits;
  constructor(
    public tmpl: string,
    readonly budget: RenderBudget,
    readonly missingKey: MissingKeyMode = "error",
  ) {
    this.limits = budget.limits;
  }

  write(s: string): void {
    this.out += s;
    // UTF-16 length never exceeds the UTF-8 size; the exact size is checked once at the end.
    if (this.out.length > this.limits.maxOutputBytes) {
      throw new ExecFailure(
        `output exceeds the limit of ${this.limits.maxOutputBytes} bytes (limits.maxOutputBytes)`,
        ErrorCodes.TEMPLATE_LIMIT,
        this.tmpl,
        null,
      );
    }
  }

  /** Counts one evaluation step; at a checkpoint, also the clock and the signal. */
  step(node: AnyNode): void {
    const b = this.budget;
    if (++b.steps > b.stepLimit) this.checkpoint(node);
  }

  /** Counts `bytes` of work done at `node`. */
  charge(node: AnyNode, bytes: number): void {
    const b = this.budget;
    b.work += bytes;
    if (b.work > b.workLimit) this.checkpoint(node);
  }

  /** Counts a call at `node` that built a value of `bytes`, checked against `maxValueBytes`. */
  built(node: AnyNode, name: string, bytes: number): void {
    const b = this.budget;
    if (bytes > b.limits.maxValueBytes) this.over(node, () => b.checkValue(name, bytes));
    b.work += 1 + bytes;
    if (b.work > b.workLimit) this.checkpoint(node);
  }

  checkpoint(node: AnyNode): void {
    this.over(node, () => this.budget.checkpoint());
  }

  /** Runs a budget check, reporting what it throws at `node`. */
  over(node: AnyNode | null, check: () => void): void {
    try {
      check();
    } catch (err) {
      throw this.at(node, err);
    }
  }

  /** `err` to rethrow: a limit reached (BudgetExceeded) as a failure at `node`, anything else as is. */
  at(node: AnyNode | null, err: unknown): unknown {
    return err instanceof BudgetExceeded
      ? new ExecFailure(err.reason, err.code, this.tmpl, node, { cause: err.cause })
      : err;
  }

  fail(
    node: ArgNode | CommandNode | Node | null,
    reason: string,
    code: ErrorCode = ErrorCodes.TEMPLATE_EXEC,
  ): never {
    throw new ExecFailure(reason, code, this.tmpl, node);
  }
}

type AnyNode = ArgNode | CommandNode | Node;
