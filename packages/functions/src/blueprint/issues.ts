/** Problems and warnings found in a Blueprint, each with its path into the document. */

/** One finding: a path like `actions.backup.phases[2].args.command` and what is wrong there. */
export interface BlueprintIssue {
  path: string;
  message: string;
  /**
   * A short machine-readable kind: "schema", "unknown-function", "missing-arg", "unknown-arg",
   * "pod-metadata", "invalid-arg", "duplicate-phase", "template", "quirk".
   */
  kind: string;
  /** Kanister's validating webhook's message for this problem, where it has one. */
  kanister?: string;
}

/** Formats zod-style path segments as `a.b[2].c`. */
export function formatPath(segments: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const seg of segments) {
    if (typeof seg === "number") out += `[${seg}]`;
    else {
      const s = String(seg);
      out += /^[A-Za-z_$][\w$-]*$/.test(s) ? (out === "" ? s : `.${s}`) : `[${JSON.stringify(s)}]`;
    }
  }
  return out;
}

/** Joins a base path and a relative one. */
export function joinPath(base: string, rest: string): string {
  if (!rest) return base;
  if (!base) return rest;
  return rest.startsWith("[") ? `${base}${rest}` : `${base}.${rest}`;
}
