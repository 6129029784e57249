/** Loading a Blueprint from YAML text or an object, with precise path errors and the known quirks as warnings. */
import { assertDocumentShape, codedLoad, ErrorCodes, QuiesceError, yamlDocumentToValue } from "@quiesce/core";
import { parseAllDocuments } from "yaml";
import { type BlueprintIssue, formatPath } from "./issues.js";
import { type Blueprint, BlueprintSchema } from "./schema.js";

/** The result of {@link loadBlueprint}. */
export interface LoadedBlueprint {
  blueprint: Blueprint;
  /** Things Kanister accepts but that are probably mistakes (e.g. a deferPhase without a name). */
  warnings: BlueprintIssue[];
}

/** Name given to a deferPhase that has none (Kanister leaves it empty). */
export const UNNAMED_DEFER_PHASE = "deferPhase";

/**
 * Parses and validates a Blueprint document (YAML text or an already-parsed object). Rejects with
 * `QUIESCE_VALIDATION` listing every schema problem with its path (`details.issues`).
 *
 * @example
 * ```ts
 * const { blueprint, warnings } = loadBlueprint(readFileSync("mysql-blueprint.yaml", "utf8"));
 * Object.keys(blueprint.actions); // ["backup", "restore", "delete"]
 * ```
 */
export function loadBlueprint(source: string | unknown): LoadedBlueprint {
  // Whatever the input (YAML aliases, cycles, pathological nesting), only coded errors with a path escape.
  return codedLoad("Blueprint", () => loadChecked(source));
}

function loadChecked(source: string | unknown): LoadedBlueprint {
  let doc: unknown = source;
  if (typeof source === "string") {
    const docs = parseAllDocuments(source).filter((d) => d.contents !== null);
    if (docs.length !== 1) {
      throw new QuiesceError(ErrorCodes.VALIDATION, `expected one Blueprint document, found ${docs.length}`, {
        details: { path: "", documents: docs.length },
      });
    }
    const [only] = docs as [ReturnType<typeof parseAllDocuments>[number]];
    doc = yamlDocumentToValue(only, "Blueprint");
  } else assertDocumentShape(doc, "Blueprint");
  const parsed = BlueprintSchema.safeParse(doc);
  if (!parsed.success) {
    const issues: BlueprintIssue[] = parsed.error.issues.map((i) => ({
      path: formatPath(i.path),
      message: i.message,
      kind: "schema",
    }));
    const summary = issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ");
    throw new QuiesceError(ErrorCodes.VALIDATION, `invalid Blueprint: ${summary}`, {
      details: { issues },
      cause: parsed.error,
    });
  }
  const blueprint = parsed.data;
  const warnings: BlueprintIssue[] = [];
  for (const [actionName, action] of Object.entries(blueprint.actions)) {
    if (action.deferPhase && !action.deferPhase.name) {
      warnings.push({
        path: `actions.${actionName}.deferPhase.name`,
        message: `deferPhase has no name; it runs as "${UNNAMED_DEFER_PHASE}"`,
        kind: "quirk",
      });
    }
  }
  return { blueprint, warnings };
}
