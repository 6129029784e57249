/** Wait and WaitV2: block until conditions over Kubernetes objects hold (anyOf / allOf), bounded by a timeout. */
import { ErrorCodes, parseDuration, QuiesceError, serializeError } from "@quiesce/core";
import type { KubeObject, ObjectRef } from "@quiesce/kube";
import type { z } from "zod";
import { defineFunction, type FunctionContext } from "../define-function.js";
import { resolveJsonPathArgs } from "../jsonpath.js";
import { renderKubectlTemplate } from "../kubectl-template.js";
import { type RenderBounds, renderCondition, renderTree } from "../template-engine.js";
import { type Condition, WaitArgs } from "./wait-args.js";

type Evaluate = (object: KubeObject, condition: string) => boolean;

// A literal timeout bounds the phase (plus a grace for the final error); a templated one is rendered at run time.
const GRACE_MS = 5_000;

function literalTimeout(args: z.output<typeof WaitArgs>): number | undefined {
  if (args.timeout.includes("{{")) return undefined;
  try {
    return parseDuration(args.timeout) + GRACE_MS;
  } catch {
    return undefined;
  }
}

/**
 * Kanister's Wait (pkg/function/wait.go): every argument is rendered (a condition that cannot be
 * rendered over the TemplateParams fails the phase), the rendered `timeout` is read; each condition,
 * as written, has its `{ $.jsonpath }` parts replaced by the object's values, then runs as a Go
 * template with `missingkey=zero`; it holds when it prints "true".
 */
export const wait = defineFunction({
  name: "Wait",
  args: WaitArgs,
  rawArgs: true,
  timeoutFromArgs: literalTimeout,
  exec: (ctx, args) => {
    const rendered = renderTree(args, ctx.params, boundsOf(ctx)) as { timeout: string };
    return runWait(ctx, args, rendered.timeout, "Wait", (object, condition) =>
      isTrue(renderCondition(resolveJsonPathArgs(object, condition), {}, boundsOf(ctx))),
    );
  },
});

/**
 * Kanister's WaitV2 (pkg/function/waitv2.go): `timeout` is read as written (not rendered); each
 * condition is a Go template over the object itself, as kubectl's `-o go-template` printer runs it
 * (missing keys print "<no value>"; `exists` and `base64decode`); a condition that does not parse
 * never holds.
 */
export const waitV2 = defineFunction({
  name: "WaitV2",
  args: WaitArgs,
  rawArgs: true,
  timeoutFromArgs: literalTimeout,
  exec: (ctx, args) =>
    runWait(ctx, args, args.timeout, "WaitV2", (object, condition) => {
      let text: string;
      try {
        text = renderKubectlTemplate(condition, object, boundsOf(ctx));
      } catch (err) {
        // kubectl's printer: a template that does not parse prints nothing, without an error.
        if (QuiesceError.is(err, ErrorCodes.TEMPLATE_PARSE)) return false;
        throw err;
      }
      return isTrue(text);
    }),
});

/** The host's template limits and the phase's signal, for the templates Wait renders itself. */
function boundsOf(ctx: FunctionContext): RenderBounds {
  return { limits: ctx.templateLimits, signal: ctx.signal };
}

function isTrue(text: string): boolean {
  return text.trim() === "true";
}

interface Resolved {
  condition: string;
  /** The rendered object reference, or why it could not be rendered. */
  ref: ObjectRef | { error: unknown };
  key: string;
}

async function runWait(
  ctx: FunctionContext,
  args: z.output<typeof WaitArgs>,
  timeoutText: string,
  name: string,
  evaluate: Evaluate,
): Promise<undefined> {
  let timeoutMs: number;
  try {
    timeoutMs = parseDuration(timeoutText);
  } catch (err) {
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      `${name}: Failed to parse timeout: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  const anyOf = (args.conditions.anyOf ?? []).map((c) => resolve(ctx, c));
  const allOf = (args.conditions.allOf ?? []).map((c) => resolve(ctx, c));
  const latest = new Map<string, KubeObject | undefined>();
  let lastError: unknown;

  const evalOne = (c: Resolved): boolean | "error" => {
    try {
      if ("error" in c.ref) throw c.ref.error;
      if (!latest.has(c.key)) return "error";
      const object = latest.get(c.key);
      if (!object) throw new QuiesceError(ErrorCodes.KUBE_NOT_FOUND, `${describe(c.ref)} not found`);
      const held = evaluate(object, c.condition);
      lastError = undefined;
      return held;
    } catch (err) {
      lastError = err;
      return "error";
    }
  };
  // Kanister's waitForCondition: anyOf in order (an error ends this round, a true ends the wait),
  // then allOf in order (an error or a false ends this round); neither group given never holds.
  const holds = (): boolean => {
    let result = false;
    for (const c of anyOf) {
      const r = evalOne(c);
      if (r === "error") return false;
      if (r) return true;
      result = r;
    }
    for (const c of allOf) {
      const r = evalOne(c);
      if (r === "error" || !r) return false;
      result = r;
    }
    return result;
  };

  const done = new AbortController();
  const onAbort = () => done.abort(ctx.signal.reason);
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    done.abort(new Error("timeout"));
  }, timeoutMs);
  const refs = new Map<string, ObjectRef>();
  for (const c of [...anyOf, ...allOf]) if (!("error" in c.ref)) refs.set(c.key, c.ref);
  try {
    ctx.progress(`waiting for ${[...refs.values()].map(describe).join(", ") || "nothing"}`);
    let met = false;
    await new Promise<void>((resolveWait) => {
      done.signal.addEventListener("abort", () => resolveWait(), { once: true });
      if (refs.size === 0 && holds()) {
        met = true;
        resolveWait();
      }
      for (const [key, ref] of refs) {
        ctx.cluster
          .waitFor(
            ref,
            (object) => {
              latest.set(key, object);
              return latest.size === refs.size && holds();
            },
            { signal: done.signal, timeoutMs: timeoutMs + GRACE_MS },
          )
          .then(
            () => {
              met = true;
              resolveWait();
            },
            (err: unknown) => {
              // Kanister retries a failed read until the timeout; a watch that fails is reported then.
              if (!done.signal.aborted) lastError = err;
            },
          );
      }
    });
    if (met) return undefined;
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const base = "Failed to wait for the condition to be met: context deadline exceeded";
    const message = lastError ? `${(lastError as Error).message ?? String(lastError)}: ${base}` : base;
    throw new QuiesceError(ErrorCodes.TIMEOUT, `${name}: ${message}`, {
      ...(lastError ? { cause: lastError } : {}),
      details: {
        timeout: timeoutText,
        timedOut,
        ...(lastError ? { lastEvaluationError: serializeError(lastError) } : {}),
      },
    });
  } finally {
    clearTimeout(timer);
    done.abort();
    ctx.signal.removeEventListener("abort", onAbort);
  }
}

/** Renders a condition's objectReference (Kanister's RenderObjectRefs); the condition itself stays raw. */
function resolve(ctx: FunctionContext, c: Condition): Resolved {
  try {
    const r = renderTree(c.objectReference, ctx.params, boundsOf(ctx)) as Condition["objectReference"];
    // Kanister's dynamic client: `apiVersion` is the version, `group` the group; a namespace makes it namespaced.
    const ref: ObjectRef = {
      group: r.group,
      version: r.apiVersion,
      resource: r.resource,
      name: r.name,
      ...(r.namespace ? { namespace: r.namespace } : {}),
    };
    return { condition: c.condition, ref, key: JSON.stringify(ref) };
  } catch (error) {
    return { condition: c.condition, ref: { error }, key: "" };
  }
}

function describe(ref: ObjectRef): string {
  return `${ref.resource}${ref.group ? `.${ref.group}` : ""} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name}`;
}
