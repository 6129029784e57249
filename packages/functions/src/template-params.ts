/** Kanister's TemplateParams, built from a subject through the Cluster port. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import type { Cluster, KubeObject, WorkloadKind } from "@quiesce/kube";
import { formatRFC3339Nano, type Instant, preciseNow } from "./go-time.js";
import type { SecretScope } from "./secrets.js";

/** What a Blueprint action runs against. `kind` is matched case-insensitively for the built-in kinds. */
export interface Subject {
  /** "StatefulSet", "Deployment", "Namespace", "PVC"/"PersistentVolumeClaim", or any kind (with apiVersion or resource). */
  kind: string;
  name: string;
  namespace?: string;
  /** For other kinds: "group/version" (resolved through discovery). */
  apiVersion?: string;
  /** For other kinds, instead of apiVersion: the resource type. */
  group?: string;
  version?: string;
  resource?: string;
}

/** A reference to a Secret or ConfigMap by namespace and name. */
export interface NamedObjectRef {
  name: string;
  namespace: string;
}

/** An artifact as Kanister keeps it. */
export interface Artifact {
  KeyValue?: Record<string, string>;
  KopiaSnapshot?: string;
}

/** `.StatefulSet` / `.Deployment` in templates. */
export interface WorkloadParams {
  Name: string;
  Namespace: string;
  Pods: string[];
  Containers: string[][];
  PersistentVolumeClaims: Record<string, Record<string, string>>;
}

/** A Secret as templates see it: `.Data.<key>` holds bytes. */
export interface SecretParams {
  Name: string;
  Namespace: string;
  Type: string;
  Data: Record<string, Uint8Array>;
  StringData: Record<string, string>;
  Labels: Record<string, string>;
  Annotations: Record<string, string>;
  ObjectMeta: Record<string, unknown>;
  /** `immutable` of the Secret, when set. */
  Immutable?: boolean;
}

/** A ConfigMap as templates see it. */
export interface ConfigMapParams {
  Name: string;
  Namespace: string;
  Data: Record<string, string>;
  BinaryData: Record<string, Uint8Array>;
  Labels: Record<string, string>;
  Annotations: Record<string, string>;
  ObjectMeta: Record<string, unknown>;
}

/** `.Phases.<name>`. */
export interface PhaseParams {
  Secrets: Record<string, SecretParams>;
  ConfigMaps: Record<string, ConfigMapParams>;
  /**
   * The phase's outputs; `null` (Go's nil map: `toJson` prints null) until the phase completes,
   * and when its function returned none, as Kanister's KubeExec, PrepareData and Wait do.
   */
  Output: Record<string, unknown> | null;
}

/**
 * Kanister's `DeferPhase: &Phase{}` before the deferPhase runs (pkg/param/param.go New): a phase
 * whose maps are nil, so `toJson .DeferPhase` is `{"Secrets":null,"ConfigMaps":null,"Output":null}`.
 */
export const UNINITIALISED_PHASE: PhaseParams = Object.freeze({
  Secrets: Object.freeze({}),
  ConfigMaps: Object.freeze({}),
  Output: Object.freeze({}),
}) as PhaseParams;

/**
 * The template data of a Blueprint action, named as Kanister names it. Absent parts are `null`
 * (like Go's nil pointers: `{{ if .StatefulSet }}` works, `{{ .StatefulSet.Name }}` fails).
 */
export interface TemplateParams {
  StatefulSet: WorkloadParams | null;
  Deployment: WorkloadParams | null;
  DeploymentConfig: WorkloadParams | null;
  PVC: { Name: string; Namespace: string } | null;
  Namespace: { Name: string; Namespace: string } | null;
  Object: KubeObject | null;
  Options: Record<string, string>;
  ArtifactsIn: Record<string, Artifact>;
  ConfigMaps: Record<string, ConfigMapParams>;
  Secrets: Record<string, SecretParams>;
  Profile: unknown;
  Time: string;
  Phases: Record<string, PhaseParams>;
  CurrentPhase: PhaseParams | null;
  DeferPhase: PhaseParams;
  PodOverride: Record<string, unknown> | null;
  PodAnnotations: Record<string, string> | null;
  PodLabels: Record<string, string> | null;
}

/** Options of {@link buildTemplateParams}. */
export interface TemplateParamsOptions {
  cluster: Cluster;
  /** `.Options` (Kanister's ActionSet options). */
  options?: Record<string, string>;
  /** `.ArtifactsIn`. */
  artifacts?: Record<string, Artifact>;
  /** `.Secrets.<name>`: Secrets to read, by the name templates use. */
  secrets?: Record<string, NamedObjectRef>;
  /** `.ConfigMaps.<name>`: ConfigMaps to read. */
  configMaps?: Record<string, NamedObjectRef>;
  /** `.Profile` (location and credentials), passed through as given. */
  profile?: unknown;
  /** `.Time` (a Date, or a Go time to the nanosecond); default now, to the microsecond. Fixed for the whole action. */
  time?: Instant;
  /** ActionSet-level pod override, labels and annotations for pods the functions create. */
  podOverride?: Record<string, unknown>;
  podLabels?: Record<string, string>;
  podAnnotations?: Record<string, string>;
  /** Registers Secret data for redaction (the action runner passes its own scope). */
  secretScope?: SecretScope;
  signal?: AbortSignal;
}

/**
 * Builds Kanister's TemplateParams for `subject`: for a StatefulSet or Deployment its Running pods,
 * their containers and PVC mounts (`cluster.workloadFacts`), the whole object as `.Object`, plus
 * Options, ArtifactsIn, Secrets (data as bytes), ConfigMaps, Profile and Time (RFC3339Nano).
 *
 * @example
 * ```ts
 * const params = await buildTemplateParams({ kind: "StatefulSet", namespace: "db", name: "mysql" }, { cluster });
 * params.StatefulSet?.Pods; // ["mysql-0"]
 * ```
 */
export async function buildTemplateParams(
  subject: Subject,
  options: TemplateParamsOptions,
): Promise<TemplateParams> {
  const { cluster, signal } = options;
  const call = { signal };
  const params = emptyTemplateParams({ time: options.time ?? preciseNow() });
  params.Options = { ...(options.options ?? {}) };
  params.ArtifactsIn = { ...(options.artifacts ?? {}) };
  params.Profile = options.profile ?? null;
  params.PodOverride = options.podOverride ?? null;
  params.PodLabels = options.podLabels ?? null;
  params.PodAnnotations = options.podAnnotations ?? null;

  const kind = subject.kind.toLowerCase();
  const namespace = subject.namespace ?? "";
  if (kind === "statefulset" || kind === "deployment") {
    const workloadKind: WorkloadKind = kind === "statefulset" ? "StatefulSet" : "Deployment";
    if (!namespace) throw invalidSubject(subject, "a namespace is required");
    const facts = await cluster.workloadFacts({ kind: workloadKind, namespace, name: subject.name }, call);
    const workload: WorkloadParams = {
      Name: facts.name,
      Namespace: facts.namespace,
      Pods: [...facts.pods],
      Containers: facts.containers.map((c) => [...c]),
      PersistentVolumeClaims: facts.persistentVolumeClaims,
    };
    if (workloadKind === "StatefulSet") params.StatefulSet = workload;
    else params.Deployment = workload;
    params.Object = facts.object;
  } else if (kind === "namespace") {
    // Kanister pkg/param/param.go New: .Namespace takes the ActionSet object's namespace (kanctl
    // sets it and the name to the same value), the object read is the one named; a subject
    // without a namespace stands for the namespace it names.
    const of = namespace || subject.name;
    params.Namespace = { Name: of, Namespace: of };
    params.Object = await cluster.get({ version: "v1", resource: "namespaces", name: subject.name }, call);
  } else if (kind === "pvc" || kind === "persistentvolumeclaim") {
    if (!namespace) throw invalidSubject(subject, "a namespace is required");
    params.Object = await cluster.get(
      { version: "v1", resource: "persistentvolumeclaims", namespace, name: subject.name },
      call,
    );
    params.PVC = { Name: subject.name, Namespace: namespace };
  } else {
    params.Object = await getOther(cluster, subject, call);
  }

  for (const [alias, ref] of Object.entries(options.secrets ?? {})) {
    params.Secrets[alias] = await readSecret(cluster, ref, options.secretScope, signal);
  }
  for (const [alias, ref] of Object.entries(options.configMaps ?? {})) {
    params.ConfigMaps[alias] = await readConfigMap(cluster, ref, signal);
  }
  return params;
}

/**
 * TemplateParams with nothing resolved: for hosts that build the data themselves (and for tests).
 *
 * @example
 * ```ts
 * const params = emptyTemplateParams({ time: new Date() });
 * params.Options.psqlImage = "postgres:17";
 * ```
 */
export function emptyTemplateParams(init: { time?: Instant } = {}): TemplateParams {
  return {
    StatefulSet: null,
    Deployment: null,
    DeploymentConfig: null,
    PVC: null,
    Namespace: null,
    Object: null,
    Options: {},
    ArtifactsIn: {},
    ConfigMaps: {},
    Secrets: {},
    Profile: null,
    Time: formatRFC3339Nano(init.time ?? preciseNow()),
    Phases: {},
    CurrentPhase: null,
    // Kanister starts with `DeferPhase: &Phase{}` (nil maps) until the deferPhase runs.
    DeferPhase: UNINITIALISED_PHASE,
    PodOverride: null,
    PodAnnotations: null,
    PodLabels: null,
  };
}

async function getOther(cluster: Cluster, subject: Subject, call: { signal?: AbortSignal | undefined }) {
  const namespace = subject.namespace;
  if (subject.resource) {
    const ref = {
      group: subject.group ?? "",
      version: subject.version ?? subject.apiVersion ?? "v1",
      resource: subject.resource,
      name: subject.name,
      ...(namespace ? { namespace } : {}),
    };
    return cluster.get(ref, call);
  }
  if (!subject.apiVersion) {
    throw invalidSubject(subject, `kind ${subject.kind} needs an apiVersion (or group/version/resource)`);
  }
  const info = await cluster.resolveResource(subject.apiVersion, subject.kind, call);
  return cluster.get(
    {
      group: info.group,
      version: info.version,
      resource: info.resource,
      name: subject.name,
      ...(info.namespaced && namespace ? { namespace } : {}),
    },
    call,
  );
}

/** Reads a Secret into its template form (data decoded to bytes) and registers its values for redaction. */
export async function readSecret(
  cluster: Cluster,
  ref: NamedObjectRef,
  scope: SecretScope | undefined,
  signal?: AbortSignal,
): Promise<SecretParams> {
  const obj = await cluster.get(
    { version: "v1", resource: "secrets", namespace: ref.namespace, name: ref.name },
    { signal },
  );
  const data: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries((obj.data as Record<string, string> | undefined) ?? {})) {
    const bytes = new Uint8Array(Buffer.from(v, "base64"));
    data[k] = bytes;
    scope?.add(Buffer.from(bytes).toString("utf8"));
  }
  const stringData = { ...((obj.stringData as Record<string, string> | undefined) ?? {}) };
  for (const v of Object.values(stringData)) scope?.add(v);
  const meta = obj.metadata ?? {};
  return {
    Name: meta.name ?? ref.name,
    Namespace: meta.namespace ?? ref.namespace,
    Type: typeof obj.type === "string" ? obj.type : "Opaque",
    Data: data,
    StringData: stringData,
    Labels: { ...(meta.labels ?? {}) },
    Annotations: { ...(meta.annotations ?? {}) },
    ObjectMeta: { ...meta },
    ...(typeof obj.immutable === "boolean" ? { Immutable: obj.immutable } : {}),
  };
}

/** Reads a ConfigMap into its template form. */
export async function readConfigMap(
  cluster: Cluster,
  ref: NamedObjectRef,
  signal?: AbortSignal,
): Promise<ConfigMapParams> {
  const obj = await cluster.get(
    { version: "v1", resource: "configmaps", namespace: ref.namespace, name: ref.name },
    { signal },
  );
  const binary: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries((obj.binaryData as Record<string, string> | undefined) ?? {})) {
    binary[k] = new Uint8Array(Buffer.from(v, "base64"));
  }
  const meta = obj.metadata ?? {};
  return {
    Name: meta.name ?? ref.name,
    Namespace: meta.namespace ?? ref.namespace,
    Data: { ...((obj.data as Record<string, string> | undefined) ?? {}) },
    BinaryData: binary,
    Labels: { ...(meta.labels ?? {}) },
    Annotations: { ...(meta.annotations ?? {}) },
    ObjectMeta: { ...meta },
  };
}

function invalidSubject(subject: Subject, why: string): QuiesceError {
  return new QuiesceError(ErrorCodes.VALIDATION, `invalid subject ${subject.kind} ${subject.name}: ${why}`, {
    details: { subject: { ...subject } },
  });
}
