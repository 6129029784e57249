/**
 * KubeStash hook reference `variables` (HookInfo.Variables, core/v1 EnvVars "used to resolve the
 * HookTemplate"): their values for `${VAR}` substitution, read from Secrets and ConfigMaps of the
 * hook's namespace as the kubelet reads an EnvVarSource, and the EnvVars as given for a Function
 * executor's Job.
 */
import { ErrorCodes, QuiesceError, registerSecret } from "@quiesce/core";
import type { Cluster } from "@quiesce/kube";
import { z } from "zod";

const keySelector = z.strictObject({
  name: z.string().optional(),
  key: z.string().min(1, "a key is required"),
  optional: z.boolean().optional(),
});

/** core/v1 EnvVarSource: exactly one source (Kubernetes' validation of an EnvVar). */
export const envVarSourceSchema = z
  .strictObject({
    secretKeyRef: keySelector.optional(),
    configMapKeyRef: keySelector.optional(),
    fieldRef: z.strictObject({ apiVersion: z.string().optional(), fieldPath: z.string().min(1) }).optional(),
    resourceFieldRef: z
      .strictObject({
        containerName: z.string().optional(),
        resource: z.string().min(1),
        divisor: z.union([z.string(), z.number()]).optional(),
      })
      .optional(),
  })
  .superRefine((source, ctx) => {
    const set = Object.values(source).filter((v) => v !== undefined).length;
    if (set !== 1) {
      ctx.addIssue({
        code: "custom",
        message: `expected exactly one of secretKeyRef, configMapKeyRef, fieldRef, resourceFieldRef (found ${set})`,
      });
    }
  });

/** A core/v1 EnvVar as `variables` carries it: `value`, or `valueFrom`, not both. */
export const variableSchema = z
  .strictObject({
    name: z.string().min(1),
    value: z.string().optional(),
    valueFrom: envVarSourceSchema.optional(),
  })
  .refine((v) => v.value === undefined || v.valueFrom === undefined, {
    message: "may not have both value and valueFrom",
    path: ["valueFrom"],
  });

/** One validated variable. */
export type Variable = z.infer<typeof variableSchema>;

/** What {@link resolveVariables} returns. */
export interface ResolvedVariables {
  /** Values for `${NAME}` substitution; a pod-field or optional-and-missing variable has none. */
  values: Record<string, string>;
  /** The variables as given, for a Function Job's env (Kubernetes resolves `valueFrom` there). */
  env: Variable[];
  /** Undoes the redaction registrations of the Secret values read. */
  release(): void;
}

function refused(
  path: string,
  message: string,
  code: `QUIESCE_${string}` = ErrorCodes.VALIDATION,
): QuiesceError {
  return new QuiesceError(code, `${path}: ${message}`, { details: { path } });
}

/**
 * Resolves `variables` of a hook running in `namespace`: a `value` as it is (none: ""), a
 * `secretKeyRef`/`configMapKeyRef` read from that namespace — a missing object or key is an error
 * unless `optional: true`, which leaves the variable unset, as the kubelet does — and a
 * `fieldRef`/`resourceFieldRef` left to the Function Job (it names a field of a pod that does not
 * exist yet). Secret values are registered for redaction until `release()`.
 */
export async function resolveVariables(
  variables: readonly unknown[] | undefined,
  namespace: string,
  path: string,
  options: { cluster: Pick<Cluster, "get"> | undefined; signal: AbortSignal | undefined },
): Promise<ResolvedVariables> {
  const undo: Array<() => void> = [];
  const out: ResolvedVariables = {
    values: {},
    env: [],
    release: () => {
      for (const u of undo.splice(0)) u();
    },
  };
  try {
    for (const [i, raw] of (variables ?? []).entries()) {
      const at = `${path}.variables[${i}]`;
      const parsed = variableSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.length ? `${at}.${issue.path.join(".")}` : at;
        throw refused(where, issue?.message ?? "invalid variable");
      }
      const v = parsed.data;
      out.env.push(v);
      const source = v.valueFrom;
      if (source === undefined) out.values[v.name] = v.value ?? "";
      else if (source.secretKeyRef || source.configMapKeyRef) {
        const value = await readKey(source, namespace, `${at}.valueFrom`, options);
        if (value === undefined) continue;
        if (source.secretKeyRef) undo.push(registerSecret(value));
        out.values[v.name] = value;
      }
    }
  } catch (err) {
    out.release();
    throw err;
  }
  return out;
}

async function readKey(
  source: z.infer<typeof envVarSourceSchema>,
  namespace: string,
  path: string,
  options: { cluster: Pick<Cluster, "get"> | undefined; signal: AbortSignal | undefined },
): Promise<string | undefined> {
  const secret = source.secretKeyRef !== undefined;
  const ref = (source.secretKeyRef ?? source.configMapKeyRef) as z.infer<typeof keySelector>;
  const kind = secret ? "Secret" : "ConfigMap";
  const where = `${path}.${secret ? "secretKeyRef" : "configMapKeyRef"}`;
  if (!options.cluster) throw refused(where, `reading a ${kind} needs a cluster`);
  const name = ref.name ?? "";
  const resource = secret ? "secrets" : "configmaps";
  let object: { data?: Record<string, string> };
  try {
    object = (await options.cluster.get(
      { version: "v1", resource, namespace, name },
      options.signal ? { signal: options.signal } : {},
    )) as typeof object;
  } catch (err) {
    if (!QuiesceError.is(err, ErrorCodes.KUBE_NOT_FOUND)) throw err;
    // As the kubelet fills a container's env (makeEnvironmentVariables): a missing optional source
    // leaves the variable unset; a missing required one is the API's NotFound.
    if (ref.optional === true) return undefined;
    throw refused(
      where,
      `${resource} "${name}" not found in namespace "${namespace}"`,
      ErrorCodes.KUBE_NOT_FOUND,
    );
  }
  // Only `data` (a ConfigMap's binaryData is not an env source), and the kubelet's message.
  const value = object.data?.[ref.key];
  if (value === undefined) {
    if (ref.optional === true) return undefined;
    throw refused(where, `couldn't find key ${ref.key} in ${kind} ${namespace}/${name}`);
  }
  return secret ? Buffer.from(value, "base64").toString("utf8") : value;
}
