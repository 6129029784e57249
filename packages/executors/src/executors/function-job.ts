/** Building the Job of a Function executor from a KubeStash Function, params and variables. */

import type { JobRunSpec, V1PodTemplateSpec } from "@quiesce/kube";
import { substituteVars } from "@quiesce/template";
import type { Action } from "../action-schema.js";
import type { FunctionDefinition } from "../executor.js";
import type { EnvVar, FunctionExecutorSpec } from "../executor-schema.js";

/** The name of the Job's container. */
export const FUNCTION_CONTAINER = "function";

/** Inputs of {@link buildFunctionJob}. */
export interface FunctionJobInput {
  namespace: string;
  spec: FunctionExecutorSpec;
  definition: FunctionDefinition;
  action: Action;
  params: Readonly<Record<string, string>>;
  variables: Readonly<Record<string, string>>;
  /** The variables as EnvVars (some with `valueFrom`): the Job's env for them instead of `variables`. */
  variableEnv?: readonly EnvVar[];
}

/**
 * The Job for a Function executor. `image`, `command` and `args` get `${VAR:=default}` substitution
 * from params and variables (variables win); the container's env is the executor's `env` plus one
 * entry per variable (`variableEnv` as given when there is one, so Kubernetes resolves `valueFrom`),
 * plus `QUIESCE_HOOK_ACTION` (the action as JSON, for images that perform it).
 * An `exec` action supplies the command when the Function defines none.
 */
export function buildFunctionJob(input: FunctionJobInput): JobRunSpec {
  const { spec, definition, action } = input;
  const vars: Record<string, string> = { ...input.params, ...input.variables };
  const sub = (s: string) => substituteVars(s, vars);
  const env: EnvVar[] = [...(spec.env ?? [])];
  if (input.variableEnv !== undefined) env.push(...input.variableEnv);
  else for (const [name, value] of Object.entries(input.variables)) env.push({ name, value });
  // A Function hook may declare no action: then its container is all there is to run.
  if (Object.keys(action).length > 0)
    env.push({ name: "QUIESCE_HOOK_ACTION", value: JSON.stringify(action) });
  const command = definition.command ?? action.exec?.command;
  const container: Record<string, unknown> = {
    ...(definition.runtimeSettings?.container ?? {}),
    ...(spec.runtimeSettings?.container ?? {}),
    name: FUNCTION_CONTAINER,
    image: sub(definition.image),
    env,
  };
  if (command !== undefined) container.command = command.map(sub);
  if (definition.args !== undefined) container.args = definition.args.map(sub);
  if (definition.workingDir !== undefined) container.workingDir = definition.workingDir;
  const mounts = [...(definition.volumeMounts ?? []), ...(spec.volumeMounts ?? [])];
  if (mounts.length > 0) container.volumeMounts = mounts;
  const podSpec: Record<string, unknown> = {
    ...(definition.runtimeSettings?.pod ?? {}),
    ...(spec.runtimeSettings?.pod ?? {}),
    restartPolicy: "Never",
    containers: [container],
  };
  if (spec.volumes !== undefined && spec.volumes.length > 0) podSpec.volumes = spec.volumes;
  const labels = { "app.kubernetes.io/managed-by": "quiesce", "quiesce.dev/function": dnsLabel(spec.name) };
  const template = { metadata: { labels }, spec: podSpec } as unknown as V1PodTemplateSpec;
  return {
    namespace: input.namespace,
    generateName: `${dnsLabel(spec.name).slice(0, 40)}-hook-`,
    template,
    backoffLimit: 0,
    labels,
  };
}

/** A string cut down to a valid DNS label (lowercase alphanumerics and '-'). */
function dnsLabel(s: string): string {
  const out = s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63);
  return out === "" ? "function" : out;
}
