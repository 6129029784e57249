/** The shapes shared by the conformance suite and its case groups. */
import type { Cluster, KubeObject, V1Pod } from "@quiesce/kube";
import type { ScriptingRuntime } from "../scripts.js";

/** What an implementation under test provides. */
export interface ConformanceSetup {
  cluster: Cluster;
  /** Creates objects (any kind) the way the environment prefers. */
  apply(objects: KubeObject[]): Promise<void>;
  /** A scriptable container runtime (the local cluster's); absent on a real cluster, where busybox runs the commands. */
  runtime?: ScriptingRuntime;
  /** The image pods run (default "busybox:1.36"). */
  image?: string;
  /** An image that cannot be pulled (default "invalid.example/quiesce-conformance:does-not-exist"). */
  badImage?: string;
  cleanup(): Promise<void>;
}

/** The environment each case group sees. */
export interface SuiteContext {
  readonly cluster: Cluster;
  readonly namespace: string;
  readonly image: string;
  readonly badImage: string;
  readonly scripted: boolean;
  apply(objects: KubeObject[]): Promise<void>;
  /** Creates a bare pod running `sleep 3600` and waits until it is Ready. */
  runningPod(
    name: string,
    options?: {
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
      containers?: string[];
    },
  ): Promise<V1Pod>;
}
