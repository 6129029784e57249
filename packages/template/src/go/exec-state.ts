/** Execution state of one render, and the internal failure the evaluator throws. */

import type { ErrorCode } from "@quiesce/core";
import { ErrorCodes } from "@quiesce/core";
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

/** Limits of one render. */
export interface ExecLimits {
  maxSteps: number;
  maxOutputBytes: number;
  maxDepth: number;
}

/** Mutable state of one render (output buffer, budgets, current template name). */
export class State {
  out = "";
  steps = 0;
  depth = 0;
  constructor(
    public tmpl: string,
    readonly limits: ExecLimits,
    readonly missingKey: MissingKeyMode = "error",
  ) {}

  write(s: string): void {
    this.out += s;
    // UTF-16 length never exceeds the UTF-8 size; the exact size is checked once at the end.
    if (this.out.length > this.limits.maxOutputBytes) {
      throw new ExecFailure(
        `output exceeds the limit of ${this.limits.maxOutputBytes} bytes`,
        ErrorCodes.TEMPLATE_LIMIT,
        this.tmpl,
        null,
      );
    }
  }

  step(node: ArgNode | CommandNode | Node): void {
    if (++this.steps > this.limits.maxSteps) {
      throw new ExecFailure(
        `template exceeded its budget of ${this.limits.maxSteps} evaluation steps`,
        ErrorCodes.TEMPLATE_LIMIT,
        this.tmpl,
        node,
      );
    }
  }

  fail(
    node: ArgNode | CommandNode | Node | null,
    reason: string,
    code: ErrorCode = ErrorCodes.TEMPLATE_EXEC,
  ): never {
    throw new ExecFailure(reason, code, this.tmpl, node);
  }
}
