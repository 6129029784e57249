/** Building the Job of a Function executor from a KubeStash Function, params and variables. */

import { ErrorCodes, QuiesceError } from "@quiesce/core";
import type { JobRunSpec, V1PodTemplateSpec } from "@quiesce/kube";
import { substituteVars } from "@quiesce/template";
import type { z } from "zod";
import type { Action } from "../action-schema.js";
import type { FunctionDefinition } from "../executor.js";
import type { EnvVar, FunctionExecutorSpec } from "../executor-schema.js";
import {
  applyContainerRuntimeSettings,
  applyPodRuntimeSettings,
  containerRuntimeSettingsSchema,
  runtimeSettingsSchema,
} from "./runtime-settings.js";

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
  let container: Record<string, unknown> = { name: FUNCTION_CONTAINER, image: sub(definition.image), env };
  if (command !== undefined) container.command = command.map(sub);
  if (definition.args !== undefined) container.args = definition.args.map(sub);
  if (definition.workingDir !== undefined) container.workingDir = definition.workingDir;
  const mounts = [...(definition.volumeMounts ?? []), ...(spec.volumeMounts ?? [])];
  if (mounts.length > 0) container.volumeMounts = mounts;
  // The Function's own container settings (its spec.runtimeSettings), then the hook reference's.
  const own = settingsOf(
    containerRuntimeSettingsSchema,
    definition.runtimeSettings,
    `Function ${spec.name} spec.runtimeSettings`,
  );
  if (own) container = applyContainerRuntimeSettings(container, own);
  const ref = settingsOf(runtimeSettingsSchema, spec.runtimeSettings, "executor.function.runtimeSettings");
  if (ref?.container) container = applyContainerRuntimeSettings(container, ref.container);
  const podSpec: Record<string, unknown> = { restartPolicy: "Never", containers: [container] };
  if (spec.volumes !== undefined && spec.volumes.length > 0) podSpec.volumes = spec.volumes;
  const labels = { "app.kubernetes.io/managed-by": "quiesce", "quiesce.dev/function": dnsLabel(spec.name) };
  const pod: PodTemplate = { metadata: { labels: { ...labels } }, spec: podSpec };
  if (ref?.pod) applyPodRuntimeSettings(pod, ref.pod);
  const template = pod as unknown as V1PodTemplateSpec;
  return {
    namespace: input.namespace,
    generateName: `${dnsLabel(spec.name).slice(0, 40)}-hook-`,
    template,
    backoffLimit: 0,
    labels,
  };
}

type PodTemplate = Parameters<typeof applyPodRuntimeSettings>[0];

// Settings from a Function object or a spec are checked here: a wrong field is named, not dropped.
function settingsOf<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> | undefined {
  if (value === undefined) return undefined;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new QuiesceError(
    ErrorCodes.VALIDATION,
    `${where}${issue?.path.length ? `.${issue.path.join(".")}` : ""}: ${issue?.message ?? "invalid"}`,
    { details: { issues: parsed.error.issues } },
  );
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
