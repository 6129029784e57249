/** Wait and WaitV2: block until conditions over Kubernetes objects hold (anyOf / allOf), bounded by a timeout. */
import { ErrorCodes, parseDuration, QuiesceError, raceAbort, serializeError, sleep } from "@quiesce/core";
import type { KubeObject, ObjectRef } from "@quiesce/kube";
import { z } from "zod";
import { defineFunction, type FunctionContext } from "../define-function.js";
import { resolveJsonPathArgs } from "../jsonpath.js";
import { renderCondition, renderString, renderTree } from "../template-engine.js";

const ConditionSchema = z.strictObject({
  condition: z.string(),
  objectReference: z.strictObject({
    apiVersion: z.string(),
    group: z.string().optional(),
    resource: z.string(),
    kind: z.string().optional(),
    name: z.string(),
    namespace: z.string().optional(),
  }),
});

const WaitArgs = z.object({
  timeout: z.string(),
  conditions: z.strictObject({
    anyOf: z.array(ConditionSchema).optional(),
    allOf: z.array(ConditionSchema).optional(),
  }),
});

type Condition = z.output<typeof ConditionSchema>;
type Evaluate = (object: KubeObject, condition: string) => string;

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

/** Wait (v1): each `{ $.jsonpath }` in the condition is replaced by the object's value, then the condition is a Go template; true when it prints "true". */
export const wait = defineFunction({
  name: "Wait",
  args: WaitArgs,
  rawArgs: true,
  timeoutFromArgs: literalTimeout,
  exec: (ctx, args) =>
    runWait(ctx, args, "Wait", (object, condition) =>
      renderCondition(resolveJsonPathArgs(object, condition), {}),
    ),
});

/** WaitV2: the condition is a Go template over the object itself (`{{ if eq .status.phase "Ready" }}true{{ end }}`). */
export const waitV2 = defineFunction({
  name: "WaitV2",
  args: WaitArgs,
  rawArgs: true,
  timeoutFromArgs: literalTimeout,
  exec: (ctx, args) =>
    runWait(ctx, args, "WaitV2", (object, condition) => renderCondition(condition, object)),
});

async function runWait(
  ctx: FunctionContext,
  args: z.output<typeof WaitArgs>,
  name: string,
  evaluate: Evaluate,
): Promise<undefined> {
  const timeoutText = renderString(args.timeout, ctx.params);
  let timeoutMs: number;
  try {
    timeoutMs = parseDuration(timeoutText);
  } catch (err) {
    throw new QuiesceError(ErrorCodes.VALIDATION, `${name}: invalid timeout "${timeoutText}"`, {
      cause: err,
    });
  }
  const anyOf = (args.conditions.anyOf ?? []).map((c) => resolveRef(ctx, c));
  const allOf = (args.conditions.allOf ?? []).map((c) => resolveRef(ctx, c));
  if (anyOf.length === 0 && allOf.length === 0) return undefined;

  const controller = new AbortController();
  const onAbort = () => controller.abort(ctx.signal.reason);
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(timeoutReason()), timeoutMs);
  let lastError: unknown;
  const holds = (c: Resolved) => (object: KubeObject | undefined) => {
    if (!object) return false;
    try {
      return evaluate(object, c.condition).trim() === "true";
    } catch (err) {
      lastError = err;
      return false;
    }
  };
  const timeoutReason = () =>
    new QuiesceError(ErrorCodes.TIMEOUT, `${name}: conditions not met within ${timeoutText}`, {
      ...(lastError ? { cause: lastError } : {}),
      details: { timeoutMs, ...(lastError ? { lastEvaluationError: serializeError(lastError) } : {}) },
    });
  const signal = controller.signal;
  try {
    ctx.progress(`waiting for ${[...anyOf, ...allOf].map((c) => describe(c.ref)).join(", ")}`);
    if (allOf.length > 0) {
      // All must hold at the same time: wait for each, then re-check them together.
      for (;;) {
        for (const c of allOf)
          await raceAbort(
            ctx.cluster.waitFor(c.ref, holds(c), { signal, timeoutMs: timeoutMs + GRACE_MS }),
            signal,
          );
        const now = await Promise.all(
          allOf.map((c) => ctx.cluster.get(c.ref, { signal }).catch(() => undefined)),
        );
        if (now.every((obj, i) => holds(allOf[i] as Resolved)(obj))) break;
        // One flipped back while waiting for another: look again shortly, not in a tight loop.
        await sleep(100, { signal });
      }
    }
    if (anyOf.length > 0) {
      const inner = new AbortController();
      const stop = () => inner.abort(signal.reason);
      signal.addEventListener("abort", stop, { once: true });
      try {
        await raceAbort(
          Promise.any(
            anyOf.map((c) =>
              ctx.cluster.waitFor(c.ref, holds(c), { signal: inner.signal, timeoutMs: timeoutMs + GRACE_MS }),
            ),
          ),
          signal,
        );
      } catch (err) {
        if (err instanceof AggregateError) throw err.errors[0];
        throw err;
      } finally {
        inner.abort();
        signal.removeEventListener("abort", stop);
      }
    }
    return undefined;
  } catch (err) {
    if (signal.aborted && !ctx.signal.aborted) throw timeoutReason();
    throw err;
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener("abort", onAbort);
  }
}

interface Resolved {
  condition: string;
  ref: ObjectRef;
}

/** Renders a condition's objectReference (Kanister's RenderObjectRefs); the condition itself stays raw. */
function resolveRef(ctx: FunctionContext, c: Condition): Resolved {
  const r = renderTree(c.objectReference, ctx.params) as Condition["objectReference"];
  let group = r.group ?? "";
  let version = r.apiVersion;
  if (!group && version.includes("/")) [group, version] = version.split("/", 2) as [string, string];
  return {
    condition: c.condition,
    ref: {
      group,
      version,
      resource: r.resource,
      name: r.name,
      ...(r.namespace ? { namespace: r.namespace } : {}),
    },
  };
}

function describe(ref: ObjectRef): string {
  return `${ref.resource}${ref.group ? `.${ref.group}` : ""} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name}`;
}
