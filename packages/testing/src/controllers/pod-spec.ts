/** Reads a pod's spec into what the runtime needs: containers' argv, environment and volume mounts. */
import type { ObjectStore, StoredObject } from "../api/seams.js";
import type { ContainerInfo, MountInfo, PodInfo } from "../runtime/types.js";
import { field } from "./util.js";

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    fieldRef?: { fieldPath: string };
    configMapKeyRef?: { name: string; key: string };
    secretKeyRef?: { name: string; key: string };
  };
}

interface EnvFrom {
  prefix?: string;
  configMapRef?: { name: string };
  secretRef?: { name: string };
}

export interface ContainerSpec {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  envFrom?: EnvFrom[];
  workingDir?: string;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

interface VolumeSpec {
  name: string;
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
}

export function podContainers(pod: StoredObject): ContainerSpec[] {
  return field<ContainerSpec[]>(pod, "spec", "containers") ?? [];
}

export function podInitContainers(pod: StoredObject): ContainerSpec[] {
  return field<ContainerSpec[]>(pod, "spec", "initContainers") ?? [];
}

/** Values of a ConfigMap or Secret (Secret data decoded from base64). */
function dataOf(
  store: ObjectStore,
  namespace: string,
  kind: "configmaps" | "secrets",
  name: string,
): Record<string, string> {
  const type = store.typeFor("", "v1", kind);
  const object = type ? store.get(type, namespace, name) : undefined;
  if (!object) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(field<Record<string, string>>(object, "data") ?? {})) {
    out[k] = kind === "secrets" ? Buffer.from(v, "base64").toString("utf8") : v;
  }
  for (const [k, v] of Object.entries(field<Record<string, string>>(object, "stringData") ?? {})) out[k] = v;
  return out;
}

function fieldValue(pod: StoredObject, path: string): string | undefined {
  const value = field<unknown>(pod, ...path.split("."));
  if (typeof value === "string") return value;
  const labels = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (labels)
    return field<Record<string, string>>(pod, "metadata", labels[1] as string)?.[labels[2] as string];
  return undefined;
}

function environment(
  store: ObjectStore,
  pod: StoredObject,
  container: ContainerSpec,
): Record<string, string> {
  const namespace = pod.metadata.namespace ?? "default";
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const data = from.configMapRef
      ? dataOf(store, namespace, "configmaps", from.configMapRef.name)
      : from.secretRef
        ? dataOf(store, namespace, "secrets", from.secretRef.name)
        : {};
    for (const [k, v] of Object.entries(data)) env[`${from.prefix ?? ""}${k}`] = v;
  }
  for (const variable of container.env ?? []) {
    let value = variable.value;
    const from = variable.valueFrom;
    if (value === undefined && from) {
      if (from.fieldRef) value = fieldValue(pod, from.fieldRef.fieldPath);
      else if (from.configMapKeyRef)
        value = dataOf(store, namespace, "configmaps", from.configMapKeyRef.name)[from.configMapKeyRef.key];
      else if (from.secretKeyRef)
        value = dataOf(store, namespace, "secrets", from.secretKeyRef.name)[from.secretKeyRef.key];
    }
    // $(VAR) references to earlier variables expand, as in Kubernetes.
    if (value !== undefined)
      env[variable.name] = value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, n: string) => env[n] ?? m);
  }
  return env;
}

function mounts(pod: StoredObject, container: ContainerSpec): MountInfo[] {
  const volumes = field<VolumeSpec[]>(pod, "spec", "volumes") ?? [];
  return (container.volumeMounts ?? []).map((m) => {
    const claim = volumes.find((v) => v.name === m.name)?.persistentVolumeClaim;
    const mount: MountInfo = {
      name: m.name,
      mountPath: m.mountPath,
      readOnly: m.readOnly === true || claim?.readOnly === true,
    };
    if (claim) mount.claimName = claim.claimName;
    return mount;
  });
}

/** The runtime's view of one container of `pod`. */
export function containerInfo(
  store: ObjectStore,
  pod: StoredObject,
  container: ContainerSpec,
): ContainerInfo {
  const info: ContainerInfo = {
    namespace: pod.metadata.namespace ?? "default",
    pod: pod.metadata.name,
    podUid: pod.metadata.uid,
    container: container.name,
    image: container.image ?? "",
    argv: [...(container.command ?? []), ...(container.args ?? [])],
    env: environment(store, pod, container),
    mounts: mounts(pod, container),
  };
  if (container.workingDir) info.workingDir = container.workingDir;
  return info;
}

/** The runtime's view of `pod`. */
export function podInfo(store: ObjectStore, pod: StoredObject): PodInfo {
  return {
    namespace: pod.metadata.namespace ?? "default",
    pod: pod.metadata.name,
    podUid: pod.metadata.uid,
    containers: podContainers(pod).map((c) => containerInfo(store, pod, c)),
    initContainers: podInitContainers(pod).map((c) => containerInfo(store, pod, c)),
  };
}
