/** What every stage of the scenario works with. */
import type { Cluster } from "@quiesce/kube";
import type { ClaimDirectory } from "./data.js";
import { DATABASE, type HostPaths, NAMESPACE } from "./manifests.js";
import type { Timeline } from "./report.js";

/** The running scenario: the cluster, where claims live on the host, the timeline, host paths. */
export interface DemoEnvironment {
  cluster: Cluster;
  claimDir: ClaimDirectory;
  timeline: Timeline;
  paths: HostPaths;
  /** The scenario's temporary directory (the backup folder lives here). */
  workDir: string;
  signal: AbortSignal | undefined;
}

/** The workload every hook and phase is about. */
export const SUBJECT = { kind: "StatefulSet", namespace: NAMESPACE, name: DATABASE } as const;

/** `{ signal }` when there is one (exactOptionalPropertyTypes forbids `signal: undefined`). */
export const withSignal = (signal: AbortSignal | undefined): { signal?: AbortSignal } =>
  signal ? { signal } : {};
