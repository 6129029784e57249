/**
 * The units of a session: one per namespace of the operation (its subject's, or each of
 * `namespaces`) for KubeStash and K10 hooks; one per pod for Velero hooks, in the order the pods
 * first appear.
 */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import type { HookSpec } from "../hook-spec.js";
import type { LifecycleHooks, RunWithHooksOptions } from "../lifecycle-options.js";
import type { HookPhase } from "../result.js";
import { isVeleroHookSpec } from "../velero/velero-hook.js";
import { specsOf } from "./resolve-units.js";
import { newUnit, type Unit } from "./unit.js";

/** Which rules a session follows. */
export type SessionFormat = "kubestash" | "velero-backup" | "velero-restore";

/** What a session works on. */
export interface SessionPlan {
  format: SessionFormat;
  namespaces: string[];
  units: Unit[];
  /** The specs of `phase` that belong to `unit`, each with its index in the phase's list. */
  specsFor(unit: Unit, phase: HookPhase): Array<{ spec: HookSpec; index: number }>;
}

const invalid = (message: string) => new QuiesceError(ErrorCodes.VALIDATION, message);

/** The plan `options` describe; invalid options throw a `QUIESCE_VALIDATION` error. */
export function sessionPlan(options: RunWithHooksOptions): SessionPlan {
  if (!options?.hooks || typeof options.hooks !== "object") {
    throw invalid("runWithHooks needs hooks: { pre?, post?, preHook?, onSuccess?, onFailure? }");
  }
  const hooks = options.hooks;
  const all = (["pre", "preHook", "onSuccess", "onFailure", "post"] as const).flatMap((p) =>
    specsOf(hooks, p).map((spec) => ({ phase: p, spec })),
  );
  const velero = all.filter((h) => isVeleroHookSpec(h.spec));
  if (velero.length > 0) return veleroPlan(options, hooks, velero.length === all.length);
  if (options.stepPer === "target") {
    throw invalid(
      'stepPer: "target" calls the step once per pod of Velero hooks; these hooks are not Velero hooks',
    );
  }
  // Every namespace unit gets every spec.
  const listed = (_unit: Unit, phase: HookPhase) =>
    specsOf(hooks, phase).map((spec, index) => ({ spec, index }));
  if (options.namespaces !== undefined) {
    const namespaces = [...new Set(options.namespaces)];
    if (namespaces.length === 0 || namespaces.some((n) => typeof n !== "string" || n === "")) {
      throw invalid("namespaces: expected a non-empty list of namespace names");
    }
    const units = namespaces.map((ns) => newUnit(ns, { kind: "Namespace", name: ns, namespace: ns }));
    return { format: "kubestash", namespaces, units, specsFor: listed };
  }
  const subject = options.subject;
  if (!subject || typeof subject.kind !== "string" || typeof subject.name !== "string") {
    throw invalid("runWithHooks needs a subject {kind, name, namespace} or namespaces[]");
  }
  const ns = subject.namespace ?? (subject.kind === "Namespace" ? subject.name : undefined);
  if (!ns) throw invalid(`subject ${subject.kind}/${subject.name}: namespace is required`);
  return { format: "kubestash", namespaces: [ns], units: [newUnit(ns, subject)], specsFor: listed };
}

// Velero works pod by pod: one unit per pod, holding exactly that pod's hooks.
function veleroPlan(options: RunWithHooksOptions, hooks: LifecycleHooks, only: boolean): SessionPlan {
  if (!only) {
    throw invalid("Velero hooks run under Velero's rules and cannot share a session with other hooks");
  }
  if (options.namespaces !== undefined) {
    throw invalid("namespaces: Velero hooks run in their own pods' namespaces; leave namespaces out");
  }
  if (hooks.preHook !== undefined || hooks.onSuccess !== undefined || hooks.onFailure !== undefined) {
    throw invalid("Velero hooks are pre or post hooks");
  }
  const byPod = new Map<string, Unit>();
  const ops = new Set<string>();
  for (const phase of ["pre", "post"] as const) {
    for (const spec of specsOf(hooks, phase)) {
      const v = isVeleroHookSpec(spec) ? spec.velero : undefined;
      if (!v || typeof v.namespace !== "string" || typeof v.pod !== "string") {
        throw invalid(`hooks.${phase}: a Velero hook needs velero.namespace and velero.pod`);
      }
      ops.add(String(v.operation));
      const key = `${v.namespace}/${v.pod}`;
      if (!byPod.has(key)) {
        const target = { kind: "Pod" as const, namespace: v.namespace, name: v.pod, excluded: false };
        const subject = options.subject ?? { kind: "Pod", name: v.pod, namespace: v.namespace };
        byPod.set(key, newUnit(v.namespace, subject, target));
      }
    }
  }
  if (ops.size > 1) throw invalid("Velero backup and restore hooks cannot share a session");
  const format: SessionFormat = ops.has("restore") ? "velero-restore" : "velero-backup";
  if (format === "velero-restore" && options.stepPer === "target") {
    throw invalid(
      'stepPer: "target" is for Velero backup hooks; restore hooks run after the host restored its objects',
    );
  }
  const units = [...byPod.values()];
  const podOf = (spec: HookSpec) =>
    isVeleroHookSpec(spec) ? `${spec.velero?.namespace}/${spec.velero?.pod}` : undefined;
  return {
    format,
    namespaces: [...new Set(units.map((u) => u.namespace))].sort(),
    units,
    specsFor: (unit, phase) =>
      specsOf(hooks, phase)
        .map((spec, index) => ({ spec, index }))
        .filter(({ spec }) => podOf(spec) === `${unit.namespace}/${unit.target?.name}`),
  };
}
