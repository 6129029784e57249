/**
 * KubeStash runtime settings (kmodules.xyz/offshoot-api api/v1 RuntimeSettings) applied to a
 * Function executor's Job as offshoot-api util/runtime_settings.go applies them (the version
 * kubestash/apimachinery vendors).
 */
import { z } from "zod";

const anything = z.unknown();

/** offshoot-api ContainerRuntimeSettings: the fields KubeStash applies to a container. */
export const containerRuntimeSettingsSchema = z.strictObject({
  resources: z
    .strictObject({
      limits: z.record(z.string(), anything).optional(),
      requests: z.record(z.string(), anything).optional(),
      claims: z.array(anything).optional(),
    })
    .optional(),
  livenessProbe: z.record(z.string(), anything).optional(),
  readinessProbe: z.record(z.string(), anything).optional(),
  lifecycle: z.record(z.string(), anything).optional(),
  securityContext: z.record(z.string(), anything).optional(),
  nice: z.strictObject({ adjustment: z.number().int().optional() }).optional(),
  ionice: z
    .strictObject({ class: z.number().int().optional(), classData: z.number().int().optional() })
    .optional(),
  envFrom: z.array(z.record(z.string(), anything)).optional(),
  env: z.array(z.looseObject({ name: z.string().min(1) })).optional(),
});

/** offshoot-api PodRuntimeSettings: the fields KubeStash applies to a pod. */
export const podRuntimeSettingsSchema = z.strictObject({
  podLabels: z.record(z.string(), z.string()).optional(),
  podAnnotations: z.record(z.string(), z.string()).optional(),
  nodeSelector: z.record(z.string(), z.string()).optional(),
  serviceAccountName: z.string().optional(),
  serviceAccountAnnotations: z.record(z.string(), z.string()).optional(),
  automountServiceAccountToken: z.boolean().optional(),
  nodeName: z.string().optional(),
  securityContext: z.record(z.string(), anything).optional(),
  imagePullSecrets: z.array(z.looseObject({ name: z.string().optional() })).optional(),
  affinity: z.record(z.string(), anything).optional(),
  schedulerName: z.string().optional(),
  tolerations: z.array(z.record(z.string(), anything)).optional(),
  priorityClassName: z.string().optional(),
  priority: z.number().int().optional(),
  readinessGates: z.array(z.record(z.string(), anything)).optional(),
  runtimeClassName: z.string().optional(),
  enableServiceLinks: z.boolean().optional(),
  topologySpreadConstraints: z.array(z.record(z.string(), anything)).optional(),
});

/** offshoot-api RuntimeSettings (a hook reference's `runtimeSettings`). */
export const runtimeSettingsSchema = z.strictObject({
  pod: podRuntimeSettingsSchema.optional(),
  container: containerRuntimeSettingsSchema.optional(),
});

/** Container-level runtime settings. */
export type ContainerRuntimeSettings = z.infer<typeof containerRuntimeSettingsSchema>;
/** Pod-level runtime settings. */
export type PodRuntimeSettings = z.infer<typeof podRuntimeSettingsSchema>;
/** Runtime settings of a Job: pod and container levels. */
export type RuntimeSettings = z.infer<typeof runtimeSettingsSchema>;

/** A core/v1 Container as plain data (what runtime settings are applied to). */
export type ContainerObject = Record<string, unknown> & { env?: Array<{ name: string }> };

const nonEmpty = (o: Record<string, unknown> | undefined): o is Record<string, unknown> =>
  o !== undefined && Object.keys(o).length > 0;

// kmodules.xyz/client-go core/v1 UpsertEnvVars: a variable of the same name is replaced in place,
// and a fieldRef without apiVersion gets "v1".
function upsertEnv(env: Array<{ name: string }>, vars: ReadonlyArray<{ name: string }>) {
  const out = [...env];
  for (const given of vars) {
    const from = (given as { valueFrom?: { fieldRef?: { apiVersion?: string } } }).valueFrom;
    const v =
      from?.fieldRef && !from.fieldRef.apiVersion
        ? { ...given, valueFrom: { ...from, fieldRef: { ...from.fieldRef, apiVersion: "v1" } } }
        : given;
    const i = out.findIndex((e) => e.name === v.name);
    if (i >= 0) out[i] = v;
    else out.push(v);
  }
  return out;
}

/**
 * ApplyContainerRuntimeSettings: probes, lifecycle and securityContext replace the container's;
 * `envFrom` is appended, `env` upserted by name; `nice` and `ionice` become the env variables
 * NICE_ADJUSTMENT, IONICE_CLASS and IONICE_CLASS_DATA. Resources as the Go code has them: the
 * limits replace the container's when any is set — and so do the requests, but only then (a
 * settings object with requests and no limits changes nothing).
 */
export function applyContainerRuntimeSettings(
  container: ContainerObject,
  s: ContainerRuntimeSettings,
): ContainerObject {
  const out: ContainerObject = { ...container };
  if (nonEmpty(s.resources?.limits)) {
    const resources = { ...((out.resources as Record<string, unknown> | undefined) ?? {}) };
    resources.limits = s.resources?.limits;
    resources.requests = s.resources?.requests;
    out.resources = resources;
  }
  if (s.livenessProbe !== undefined) out.livenessProbe = s.livenessProbe;
  if (s.readinessProbe !== undefined) out.readinessProbe = s.readinessProbe;
  if (s.lifecycle !== undefined) out.lifecycle = s.lifecycle;
  if (s.securityContext !== undefined) out.securityContext = s.securityContext;
  if (s.envFrom !== undefined && s.envFrom.length > 0)
    out.envFrom = [...((out.envFrom as unknown[] | undefined) ?? []), ...s.envFrom];
  let env = out.env ?? [];
  if (s.env !== undefined && s.env.length > 0) env = upsertEnv(env, s.env);
  const niceEnv: Array<{ name: string; value: string }> = [];
  if (s.nice?.adjustment !== undefined)
    niceEnv.push({ name: "NICE_ADJUSTMENT", value: String(s.nice.adjustment) });
  if (s.ionice?.class !== undefined) niceEnv.push({ name: "IONICE_CLASS", value: String(s.ionice.class) });
  if (s.ionice?.classData !== undefined)
    niceEnv.push({ name: "IONICE_CLASS_DATA", value: String(s.ionice.classData) });
  if (niceEnv.length > 0) env = upsertEnv(env, niceEnv);
  if (env.length > 0) out.env = env;
  return out;
}

/**
 * ApplyPodRuntimeSettings: each field that is set replaces the pod's (`nodeSelector`,
 * `tolerations`, `readinessGates` only when non-empty); `imagePullSecrets` are merged by name.
 * `podLabels` and `podAnnotations` label and annotate the Job's pod; `serviceAccountAnnotations`
 * annotate a ServiceAccount KubeStash would create, which quiesce does not (it is not applied).
 */
export function applyPodRuntimeSettings(
  pod: {
    metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec: Record<string, unknown>;
  },
  s: PodRuntimeSettings,
): void {
  const spec = pod.spec;
  if (s.podLabels !== undefined) pod.metadata.labels = { ...s.podLabels, ...pod.metadata.labels };
  if (s.podAnnotations !== undefined)
    pod.metadata.annotations = { ...pod.metadata.annotations, ...s.podAnnotations };
  if (nonEmpty(s.nodeSelector)) spec.nodeSelector = s.nodeSelector;
  if (s.serviceAccountName) spec.serviceAccountName = s.serviceAccountName;
  if (s.automountServiceAccountToken !== undefined)
    spec.automountServiceAccountToken = s.automountServiceAccountToken;
  if (s.nodeName) spec.nodeName = s.nodeName;
  if (s.securityContext !== undefined) spec.securityContext = s.securityContext;
  if (s.imagePullSecrets !== undefined && s.imagePullSecrets.length > 0) {
    // core_util.MergeLocalObjectReferences: the pod's, then the settings' whose name is new, sorted by name.
    const own = (spec.imagePullSecrets as Array<{ name?: string }> | undefined) ?? [];
    const merged = [...own, ...s.imagePullSecrets.filter((r) => !own.some((o) => o.name === r.name))];
    spec.imagePullSecrets = merged.sort((a, b) =>
      (a.name ?? "") < (b.name ?? "") ? -1 : (a.name ?? "") > (b.name ?? "") ? 1 : 0,
    );
  }
  if (s.affinity !== undefined) spec.affinity = s.affinity;
  if (s.schedulerName) spec.schedulerName = s.schedulerName;
  if (s.tolerations !== undefined && s.tolerations.length > 0) spec.tolerations = s.tolerations;
  if (s.priorityClassName) spec.priorityClassName = s.priorityClassName;
  if (s.priority !== undefined) spec.priority = s.priority;
  if (s.readinessGates !== undefined && s.readinessGates.length > 0) spec.readinessGates = s.readinessGates;
  if (s.runtimeClassName !== undefined) spec.runtimeClassName = s.runtimeClassName;
  if (s.enableServiceLinks !== undefined) spec.enableServiceLinks = s.enableServiceLinks;
  if (s.topologySpreadConstraints !== undefined) spec.topologySpreadConstraints = s.topologySpreadConstraints;
}
