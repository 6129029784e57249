/** The units of a session: one per namespace of the operation (its subject's, or each of `namespaces`). */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import type { RunWithHooksOptions } from "../lifecycle-options.js";
import { newUnit, type Unit } from "./unit.js";

/** The namespaces and units `options` describe; invalid options throw a `QUIESCE_VALIDATION` error. */
export function sessionUnits(options: RunWithHooksOptions): { namespaces: string[]; units: Unit[] } {
  if (!options?.hooks || typeof options.hooks !== "object") {
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      "runWithHooks needs hooks: { pre?, post?, preHook?, onSuccess?, onFailure? }",
    );
  }
  if (options.namespaces !== undefined) {
    const namespaces = [...new Set(options.namespaces)];
    if (namespaces.length === 0 || namespaces.some((n) => typeof n !== "string" || n === "")) {
      throw new QuiesceError(
        ErrorCodes.VALIDATION,
        "namespaces: expected a non-empty list of namespace names",
      );
    }
    const units = namespaces.map((ns) => newUnit(ns, { kind: "Namespace", name: ns, namespace: ns }));
    return { namespaces, units };
  }
  const subject = options.subject;
  if (!subject || typeof subject.kind !== "string" || typeof subject.name !== "string") {
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      "runWithHooks needs a subject {kind, name, namespace} or namespaces[]",
    );
  }
  const ns = subject.namespace ?? (subject.kind === "Namespace" ? subject.name : undefined);
  if (!ns) {
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      `subject ${subject.kind}/${subject.name}: namespace is required`,
    );
  }
  return { namespaces: [ns], units: [newUnit(ns, subject)] };
}
