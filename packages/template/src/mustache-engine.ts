/** The mustache engine: logic-less templates with strict lookups, no HTML escaping, own-data-only access. */
import { ErrorCodes } from "@quiesce/core";
import Mustache from "mustache";
import {
  BudgetExceeded,
  DEFAULT_LIMITS,
  enterBudget,
  RenderBudget,
  type ResolvedLimits,
  resolveLimits,
  restoreBudget,
} from "./budget.js";
import type { CompiledTemplate, RenderOptions, TemplateEngine } from "./engine.js";
import { TemplateError } from "./errors.js";
import { formatValue } from "./go/fmt.js";
import { hasOwnKey, isMap } from "./go/values.js";

class MissingKey extends Error {}

/** The render in progress: its budget and the output emitted so far (rendering is synchronous). */
let run: { budget: RenderBudget; out: number } | undefined;

/** Counts one step (a lookup, a section iteration) against the render's budget. */
function step(): void {
  if (run === undefined) return;
  const b = run.budget;
  if (++b.steps > b.stepLimit) b.checkpoint();
}

/** Counts emitted text against the output limit (sections concatenate, so emitted = output). */
function emit<T>(text: T): T {
  if (run !== undefined && typeof text === "string") {
    run.out += text.length;
    if (run.out > run.budget.limits.maxOutputBytes) {
      throw new BudgetExceeded(
        ErrorCodes.TEMPLATE_LIMIT,
        `output exceeds the limit of ${run.budget.limits.maxOutputBytes} bytes (limits.maxOutputBytes)`,
      );
    }
  }
  return text;
}

function display(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return formatValue(value);
}

function ownStep(view: unknown, key: string): { found: boolean; value: unknown } {
  if (isMap(view) && hasOwnKey(view, key)) return { found: true, value: view[key] };
  if (Array.isArray(view) && /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < view.length) {
    return { found: true, value: view[Number(key)] };
  }
  return { found: false, value: undefined };
}

/** A mustache context whose lookups see only own data properties and fail on a missing key. */
class StrictContext extends Mustache.Context {
  override push(view: unknown): StrictContext {
    step();
    return new StrictContext(view, this);
  }

  override lookup(rawName: string): unknown {
    step();
    const name = rawName.startsWith(".") && rawName !== "." ? rawName.slice(1) : rawName;
    if (name === ".") return this.#checked(this.view as unknown, rawName);
    const parts = name.split(".");
    // Mustache resolves the first segment up the context stack, the rest from there.
    let ctx: Mustache.Context | undefined = this;
    while (ctx !== undefined) {
      const first = ownStep(ctx.view as unknown, parts[0]!);
      if (first.found) {
        let value = first.value;
        for (let i = 1; i < parts.length; i++) {
          const step = ownStep(value, parts[i]!);
          if (!step.found) throw new MissingKey(rawName);
          value = step.value;
        }
        return this.#checked(value, rawName);
      }
      ctx = ctx.parent;
    }
    throw new MissingKey(rawName);
  }

  #checked(value: unknown, name: string): unknown {
    if (typeof value === "function") throw new MissingKey(name);
    return value;
  }
}

class PlainWriter extends Mustache.Writer {
  override unescapedValue(token: string[], context: Mustache.Context): string {
    const value = context.lookup(token[1]!) as unknown;
    return emit(value === null || value === undefined ? "" : display(value));
  }

  override escapedValue(token: string[], context: Mustache.Context, config?: unknown): string {
    return emit(super.escapedValue(token, context, config as Mustache.RenderOptions));
  }

  override rawValue(token: string[]): string {
    return emit(super.rawValue(token));
  }
}

const CONFIG = { escape: (value: unknown) => display(value) };

/**
 * The `mustache` engine.
 *
 * @example
 * ```ts
 * import { render } from "@quiesce/template";
 * render("{{ .Target.Name }}/{{ Namespace }}", { Target: { Name: "db" }, Namespace: "prod" }, { engine: "mustache" });
 * ```
 */
export const mustacheEngine: TemplateEngine = Object.freeze({
  name: "mustache",
  compile(source: string, { name, limits }: { name: string; limits?: ResolvedLimits }): CompiledTemplate {
    let tokens: Mustache.TemplateSpans;
    const writer = new PlainWriter();
    try {
      tokens = writer.parse(source);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new TemplateError(
        ErrorCodes.TEMPLATE_PARSE,
        `template: ${name}: ${reason}`,
        { template: name, reason },
        {
          cause: err,
        },
      );
    }
    return Object.freeze({
      name,
      engine: "mustache",
      render(data: unknown, options?: RenderOptions): string {
        const budget =
          options?.budget ??
          new RenderBudget(resolveLimits(options?.limits, limits ?? DEFAULT_LIMITS), options?.signal);
        const outer = run;
        const previous = enterBudget(budget);
        run = { budget, out: 0 };
        try {
          budget.checkSignal();
          return writer.renderTokens(
            tokens as string[][],
            new StrictContext(data),
            undefined,
            source,
            CONFIG,
          );
        } catch (err) {
          if (err instanceof BudgetExceeded) {
            throw new TemplateError(
              err.code,
              `template: ${name}: ${err.reason}`,
              { template: name, reason: err.reason },
              { cause: err.cause },
            );
          }
          if (err instanceof MissingKey) {
            const reason = `no entry for key ${JSON.stringify(err.message)}`;
            throw new TemplateError(ErrorCodes.TEMPLATE_MISSING_KEY, `template: ${name}: ${reason}`, {
              template: name,
              expression: err.message,
              reason,
            });
          }
          const reason = err instanceof Error ? err.message : String(err);
          throw new TemplateError(
            ErrorCodes.TEMPLATE_EXEC,
            `template: ${name}: ${reason}`,
            { template: name, reason },
            {
              cause: err,
            },
          );
        } finally {
          run = outer;
          restoreBudget(previous);
        }
      },
    });
  },
});
