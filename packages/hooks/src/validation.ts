/** Turns zod issues into one coded QuiesceError whose message names every path and what was expected. */
import { assertDocumentShape, codedLoad, ErrorCodes, QuiesceError } from "@quiesce/core";
import type { z } from "zod";

/** Formats a zod issue path the way documents are addressed: `spec.params[2].name`. */
export function formatPath(path: readonly PropertyKey[], prefix = ""): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "(root)" : out;
}

/**
 * Parses `input` with `schema`, or throws a `QUIESCE_VALIDATION` error listing every issue with
 * its path. The zod issues are kept as they are in `details.issues`.
 */
export function parseWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
  pathPrefix = "",
): z.output<S> {
  // A cyclic, too deep or too large input is refused (with its path) before zod walks it.
  assertDocumentShape(input, what, pathPrefix);
  const result = codedLoad(what, () => schema.safeParse(input));
  if (result.success) return result.data;
  const issues = result.error.issues;
  const lines = issues.map((issue) => `${formatPath(issue.path, pathPrefix)}: ${issue.message}`);
  throw new QuiesceError(ErrorCodes.VALIDATION, `invalid ${what}: ${lines.join("; ")}`, {
    details: {
      issues: issues.map((issue) => ({
        path: formatPath(issue.path, pathPrefix),
        code: issue.code,
        message: issue.message,
      })),
    },
  });
}
