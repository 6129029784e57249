/** Validation of actions and executor specs into QuiesceErrors whose messages name the path. */
import { assertDocumentShape, codedLoad, ErrorCodes, QuiesceError } from "@quiesce/core";
import type { z } from "zod";
import { type Action, actionSchema } from "./action-schema.js";
import { type ExecutorSpec, executorSchema } from "./executor-schema.js";

/** Formats a zod issue path the way users read documents: `spec.action.httpPost.httpHeaders[0].name`. */
export function formatPath(base: string, path: readonly PropertyKey[]): string {
  let out = base;
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "(root)" : out;
}

/**
 * Parses `input` with `schema`, or throws a `QUIESCE_VALIDATION` QuiesceError whose message lists
 * every issue with its path under `where` (e.g. `spec.action`), and whose details keep the zod issues.
 */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, where: string): z.output<S> {
  // A cyclic, too deep or too large input is refused (with its path) before zod walks it.
  assertDocumentShape(input, where, where);
  const parsed = codedLoad(where, () => schema.safeParse(input));
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  const lines = issues.map((i) => `${formatPath(where, i.path)}: ${i.message}`);
  throw new QuiesceError(ErrorCodes.VALIDATION, `invalid ${where}: ${lines.join("; ")}`, {
    details: {
      path: where,
      issues: issues.map((i) => ({ path: formatPath(where, i.path), code: i.code, message: i.message })),
    },
  });
}

/**
 * Validates a HookTemplate action (default path `action`; pass `spec.action` for a document).
 *
 * @example
 * ```ts
 * const action = parseAction({ httpGet: { port: 8080, path: "/healthz" } }, "spec.action");
 * ```
 */
export function parseAction(input: unknown, where = "action"): Action {
  return parseWith(actionSchema, input, where);
}

/**
 * Validates a HookTemplate executor spec (default path `executor`).
 *
 * @example
 * ```ts
 * const executor = parseExecutor({ type: "Pod", pod: { selector: "app=db" } });
 * ```
 */
export function parseExecutor(input: unknown, where = "executor"): ExecutorSpec {
  return parseWith(executorSchema, input, where);
}
