/** The Go text/template engine: parse + compile a source once, render it many times. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import {
  BudgetExceeded,
  DEFAULT_LIMITS,
  enterBudget,
  RenderBudget,
  resolveLimits,
  restoreBudget,
} from "../budget.js";
import type { RenderOptions } from "../engine.js";
import { TemplateError } from "../errors.js";
import type { FuncMap, TemplateFunction } from "../functions.js";
import { BUILTINS } from "./builtins.js";
import { compileTrees } from "./compile-tree.js";
import { ExecFailure, type ExecLimits, type MissingKeyMode, State } from "./exec-state.js";
import { NestingLimitFailure, ParseFailure, parseTemplate } from "./parser.js";

export { DEFAULT_LIMITS };

const IDENT = /^[\p{L}_][\p{L}\p{Nd}_]*$/u;

/** Validates host function names as Go's Funcs does (a name must be an identifier). */
export function checkFuncNames(funcs: FuncMap): void {
  for (const name of Object.keys(funcs)) {
    if (!IDENT.test(name)) {
      throw new QuiesceError(
        ErrorCodes.VALIDATION,
        `function name ${JSON.stringify(name)} is not a valid identifier`,
      );
    }
    if (typeof funcs[name] !== "function") {
      throw new QuiesceError(
        ErrorCodes.VALIDATION,
        `template function ${JSON.stringify(name)} is not a function`,
      );
    }
  }
}

function lineCol(source: string, pos: number): [number, number] {
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf("\n"); i >= 0 && i < pos; i = source.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return [line, Buffer.byteLength(source.slice(lineStart, pos))];
}

/** A compiled Go template: immutable and safe to share between concurrent renders. */
export class GoTemplate {
  readonly engine = "go";
  readonly #trees;
  readonly #limits: ExecLimits;
  readonly #source: string;

  constructor(
    readonly name: string,
    source: string,
    funcs: Readonly<Record<string, TemplateFunction>>,
    limits: ExecLimits,
    readonly missingKey: MissingKeyMode = "error",
  ) {
    this.#source = source;
    this.#limits = limits;
    const hasFunction = (n: string): boolean =>
      Object.hasOwn(funcs, n) || Object.hasOwn(BUILTINS, n) || n === "and" || n === "or";
    try {
      this.#trees = compileTrees(parseTemplate(name, source, hasFunction), funcs);
    } catch (err) {
      if (err instanceof NestingLimitFailure) {
        throw new TemplateError(ErrorCodes.TEMPLATE_LIMIT, `template: ${name}:${err.line}: ${err.detail}`, {
          template: name,
          line: err.line,
          reason: err.detail,
        });
      }
      if (err instanceof ParseFailure) {
        throw new TemplateError(ErrorCodes.TEMPLATE_PARSE, `template: ${name}:${err.line}: ${err.detail}`, {
          template: name,
          line: err.line,
          reason: err.detail,
        });
      }
      if (err instanceof RangeError) {
        // Pathological nesting exhausts the JS stack; report it as a limit, never as a bare RangeError.
        const reason = "template nesting is too deep";
        throw new TemplateError(
          ErrorCodes.TEMPLATE_LIMIT,
          `template: ${name}: ${reason}`,
          { template: name, reason },
          {
            cause: err,
          },
        );
      }
      throw err;
    }
    Object.freeze(this);
  }

  /** Names of the templates this source defines (the main one and every define/block). */
  get templateNames(): string[] {
    return [...this.#trees.keys()].sort();
  }

  /** Renders the main template against `data`. */
  render(data: unknown, options?: RenderOptions): string {
    return this.renderTemplate(this.name, data, options);
  }

  /** Renders the main template or a `define`d one against `data`. */
  renderTemplate(templateName: string, data: unknown, options?: RenderOptions): string {
    const tree = this.#trees.get(templateName);
    if (tree === undefined) {
      throw new TemplateError(
        ErrorCodes.TEMPLATE_EXEC,
        `template: no template ${JSON.stringify(templateName)} associated with template ${JSON.stringify(this.name)}`,
        { template: templateName, reason: "template not defined" },
      );
    }
    const budget = budgetFor(this.#limits, options);
    const st = new State(tree.name, budget, this.missingKey);
    const frame: unknown[] = new Array(tree.slots);
    frame[0] = data;
    const previous = enterBudget(budget);
    try {
      budget.checkSignal();
      tree.run(st, data, frame);
    } catch (err) {
      throw this.#toError(err, st);
    } finally {
      restoreBudget(previous);
    }
    const max = st.limits.maxOutputBytes;
    if (st.out.length * 3 > max && Buffer.byteLength(st.out) > max) {
      throw this.#toError(
        new ExecFailure(
          `output exceeds the limit of ${max} bytes (limits.maxOutputBytes)`,
          ErrorCodes.TEMPLATE_LIMIT,
          tree.name,
          null,
        ),
        st,
      );
    }
    return st.out;
  }

  #toError(err: unknown, st: State): TemplateError {
    if (err instanceof ExecFailure) {
      if (err.node === null) {
        return new TemplateError(
          err.code,
          `template: ${err.template}: ${err.reason}`,
          {
            template: err.template,
            reason: err.reason,
          },
          { cause: err.cause },
        );
      }
      const [line, column] = lineCol(this.#source, err.node.pos);
      const expression = err.expression!;
      return new TemplateError(
        err.code,
        `template: ${this.name}:${line}:${column}: executing ${JSON.stringify(err.template)} at <${expression}>: ${err.reason}`,
        { template: err.template, line, column, expression, reason: err.reason },
        { cause: err.cause },
      );
    }
    if (err instanceof BudgetExceeded) {
      return new TemplateError(
        err.code,
        `template: ${st.tmpl}: ${err.reason}`,
        { template: st.tmpl, reason: err.reason },
        { cause: err.cause },
      );
    }
    if (err instanceof RangeError && /call stack/i.test(err.message)) {
      return new TemplateError(
        ErrorCodes.TEMPLATE_LIMIT,
        `template: ${st.tmpl}: template nesting is too deep`,
        {
          template: st.tmpl,
          reason: "template nesting is too deep",
        },
        { cause: err },
      );
    }
    const reason = err instanceof Error ? err.message : String(err);
    return new TemplateError(
      ErrorCodes.TEMPLATE_EXEC,
      `template: ${st.tmpl}: ${reason}`,
      {
        template: st.tmpl,
        reason,
      },
      { cause: err },
    );
  }
}

/** The budget of one render: the caller's shared one, else a new one from the template's and the call's limits. */
export function budgetFor(limits: ExecLimits, options: RenderOptions | undefined): RenderBudget {
  if (options === undefined) return new RenderBudget(limits);
  if (options.budget !== undefined) return options.budget;
  return new RenderBudget(resolveLimits(options.limits, limits), options.signal);
}
