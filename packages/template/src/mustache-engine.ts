/** The mustache engine: logic-less templates with strict lookups, no HTML escaping, own-data-only access. */
import { ErrorCodes } from "@quiesce/core";
import Mustache from "mustache";
import type { CompiledTemplate, TemplateEngine } from "./engine.js";
import { TemplateError } from "./errors.js";
import { formatValue } from "./go/fmt.js";
import { hasOwnKey, isMap } from "./go/values.js";

class MissingKey extends Error {}

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
    return new StrictContext(view, this);
  }

  override lookup(rawName: string): unknown {
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
    return value === null || value === undefined ? "" : display(value);
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
  compile(source: string, { name }: { name: string }): CompiledTemplate {
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
      render(data: unknown): string {
        try {
          return writer.renderTokens(
            tokens as string[][],
            new StrictContext(data),
            undefined,
            source,
            CONFIG,
          );
        } catch (err) {
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
        }
      },
    });
  },
});
