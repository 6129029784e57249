/** Test hooks implemented in the test: what they do is irrelevant, only whether they succeed, fail, hang or produce artifacts. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import type { FunctionHookSpec, HookRunContext } from "../hook-spec.js";
import type { HookRecord } from "../result.js";

/** A subject for sessions that need one. */
export const subject = { kind: "StatefulSet", namespace: "db", name: "mysql" };
/** Backoff settings that keep retries fast. */
export const fast = { backoff: { baseMs: 1, maxMs: 2, jitter: 0 } };

/** A function hook spec named `name` that records each call's context and behaves as told. */
export function hook(
  name: string,
  behaviour: (ctx: HookRunContext) => unknown = () => undefined,
  extra: Partial<FunctionHookSpec> = {},
) {
  const calls: HookRunContext[] = [];
  const spec: FunctionHookSpec = {
    name,
    async run(ctx) {
      calls.push(ctx);
      const out = await behaviour(ctx);
      return out as never;
    },
    ...extra,
  };
  return { spec, calls };
}

/** Throws a hook failure (for use inside a behaviour). */
export const fail = (message = "boom") => {
  throw new QuiesceError(ErrorCodes.HOOK_FAILED, message);
};

/** The record of hook `name` (in `namespace`, when given); throws when there is none. */
export function find(hooks: HookRecord[], name: string, namespace?: string): HookRecord {
  const found = hooks.find((h) => h.name === name && (namespace === undefined || h.namespace === namespace));
  if (!found) throw new Error(`no record for ${name}`);
  return found;
}
