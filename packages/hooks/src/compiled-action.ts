/**
 * KubeStash's templated action fields (each `exec.command` element and the `httpPost.body`),
 * compiled once when a hook is prepared — so a syntax error fails the session before anything
 * runs — and rendered for every attempt over the hook summary.
 */
import { QuiesceError } from "@quiesce/core";
import { type Action, goTrimSpace, KUBESTASH_TEMPLATE_OPTIONS } from "@quiesce/executors";
import {
  type CompiledTemplate,
  compile,
  type RenderBounds,
  RenderBudget,
  resolveLimits,
} from "@quiesce/template";

/** An action whose templated fields are compiled. */
export interface CompiledAction {
  /** Renders the templated fields; their renders share one budget. */
  render(data: unknown, bounds?: RenderBounds): Action;
}

// Compiled templates are immutable, so sessions that prepare the same template again (a schedule
// running every few minutes, a HookTemplate re-read from the cluster) reuse them. Bounded, oldest out.
const CACHE_LIMIT = 512;
const cache = new Map<string, CompiledTemplate>();

function compileAt(source: string, where: string): CompiledTemplate {
  const key = `${where}\u0000${source}`;
  const hit = cache.get(key);
  if (hit) return hit;
  try {
    // stashed/apimachinery pkg/hooks/hook.go renderTemplate: sprig v3's TxtFuncMap, Option("missingkey=default").
    const compiled = compile(source, { ...KUBESTASH_TEMPLATE_OPTIONS, name: where });
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(key, compiled);
    return compiled;
  } catch (err) {
    const code = QuiesceError.is(err) ? err.code : "QUIESCE_TEMPLATE_PARSE";
    throw new QuiesceError(code, `${where}: ${(err as Error).message}`, { cause: err });
  }
}

// hook.go renderTemplate returns strings.TrimSpace of the output.
function trimmed(template: CompiledTemplate, data: unknown, budget: RenderBudget): string {
  return goTrimSpace(template.render(data, { budget }));
}

/**
 * Compiles `action`'s templated fields; `where` prefixes error paths (e.g. the template's name).
 *
 * @example
 * ```ts
 * const compiled = compileAction({ exec: { command: ["echo", "{{ .Namespace }}"] } }, "freeze");
 * compiled.render({ Namespace: "prod" }); // { exec: { command: ["echo", "prod"] } }
 * ```
 */
export function compileAction(action: Action, where: string): CompiledAction {
  // hook.go renderHookTemplate renders the exec command and the httpPost body, both when both are set.
  const exec = action.exec;
  const parts = exec?.command.map((c, i) =>
    c.includes("{{") ? compileAt(c, `${where}: spec.action.exec.command[${i}]`) : c,
  );
  const post = action.httpPost;
  const body = post?.body?.includes("{{")
    ? compileAt(post.body, `${where}: spec.action.httpPost.body`)
    : undefined;
  if (!parts?.some((p) => typeof p !== "string") && body === undefined) return { render: () => action };
  return {
    render: (data, bounds) => {
      const budget = new RenderBudget(resolveLimits(bounds?.limits), bounds?.signal);
      let out = action;
      if (exec && parts) {
        out = {
          ...out,
          exec: {
            ...exec,
            command: parts.map((p) => (typeof p === "string" ? p : trimmed(p, data, budget))),
          },
        };
      }
      if (post && body) out = { ...out, httpPost: { ...post, body: trimmed(body, data, budget) } };
      return out;
    },
  };
}
