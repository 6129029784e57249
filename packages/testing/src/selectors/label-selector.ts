/**
 * Label selectors as the API server takes them. Parsing and matching are `@quiesce/kube`'s (one
 * implementation of the syntax for the client and the server); a malformed selector is answered
 * the way the API server answers it: 400 BadRequest "unable to parse requirement: …".
 */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import {
  type LabelSelectorObject,
  matchesSelector,
  parseSelector,
  type SelectorRequirement,
  selectorObjectRequirements,
  selectorObjectToString,
} from "@quiesce/kube";
import { ApiStatusError } from "../api/errors.js";

/** One requirement of a label selector (`@quiesce/kube`'s `SelectorRequirement`). */
export type LabelRequirement = SelectorRequirement;

/** A parsed label selector: every requirement must hold (an empty selector matches everything). */
export type LabelSelector = LabelRequirement[];

/** Runs `parse`, turning a selector the syntax refuses into the API server's 400. */
function asBadRequest<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (QuiesceError.is(err, ErrorCodes.VALIDATION))
      throw ApiStatusError.badRequest(`unable to parse requirement: ${err.message}`);
    throw err;
  }
}

/**
 * Parses a label selector string (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`,
 * `a>1`, comma-separated). Throws a 400 BadRequest {@link ApiStatusError} on invalid syntax.
 *
 * @example
 * ```ts
 * const sel = parseLabelSelector("app=web, tier in (db,cache), !canary");
 * matchesLabelSelector(sel, { app: "web", tier: "db" }); // true
 * ```
 */
export function parseLabelSelector(selector: string | undefined): LabelSelector {
  return selector === undefined ? [] : asBadRequest(() => parseSelector(selector));
}

/** True when `labels` satisfy every requirement of `selector`. */
export function matchesLabelSelector(
  selector: LabelSelector,
  labels: Record<string, string> | undefined,
): boolean {
  return matchesSelector(selector, labels);
}

/**
 * Converts a structured `LabelSelector` object (`matchLabels` / `matchExpressions`, as in a
 * Deployment's `spec.selector`) to the parsed form.
 */
export function fromSelectorObject(selector: LabelSelectorObject): LabelSelector {
  return asBadRequest(() => selectorObjectRequirements(selector));
}

/** Formats a structured selector as a selector string (used for the Scale subresource's `status.selector`). */
export function formatSelectorObject(selector: LabelSelectorObject): string {
  return asBadRequest(() => selectorObjectToString(selector));
}
