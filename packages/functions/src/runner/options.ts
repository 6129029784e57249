/** Options of the Blueprint action runner. */
import type { Logger } from "@quiesce/core";
import type { Cluster } from "@quiesce/kube";
import type { FunctionRegistry } from "../registry.js";
import type { Artifact, NamedObjectRef, Subject, TemplateParams } from "../template-params.js";
import type { BlueprintEvents } from "./events.js";

/** Default time limit of one phase (Kanister has none). */
export const DEFAULT_PHASE_TIMEOUT_MS = 15 * 60_000;

/** Default budget of the deferPhase once the caller has aborted: 2 minutes (like runWithHooks' cleanupTimeout). */
export const DEFAULT_DEFER_TIMEOUT_MS = 2 * 60_000;

/** Blueprint annotation overriding the default phase time limit for every phase (a Go duration, e.g. "30m"). */
export const PHASE_TIMEOUT_ANNOTATION = "quiesce.dev/phase-timeout";

/** Options of `runBlueprintAction`. */
export interface RunActionOptions {
  cluster: Cluster;
  /** What the action runs against; TemplateParams are built from it. Either this or `params`. */
  subject?: Subject;
  /** Prebuilt TemplateParams (the runner adds `.Phases` to them). */
  params?: TemplateParams;
  /** Default: the global registry. */
  registry?: FunctionRegistry;
  /** Function version to prefer (falls back to the default version). */
  preferredVersion?: string;
  signal?: AbortSignal;
  /** `.Options`. */
  options?: Record<string, string>;
  /** `.ArtifactsIn` (e.g. the `outputArtifacts` of an earlier action). */
  artifacts?: Record<string, Artifact>;
  /** `.Secrets.<name>` (the action's `secretNames` must all be given). */
  secrets?: Record<string, NamedObjectRef>;
  /** `.ConfigMaps.<name>` (the action's `configMapNames` must all be given). */
  configMaps?: Record<string, NamedObjectRef>;
  /** `.Profile`. */
  profile?: unknown;
  podOverride?: Record<string, unknown>;
  podLabels?: Record<string, string>;
  /** `.Time`; default: the action's start. */
  time?: Date;
  logger?: Logger;
  events?: BlueprintEvents;
  /**
   * Time limit of each phase, ms or a Go duration. Precedence: `phaseTimeouts[phase]`, then a
   * function's own (Wait's `timeout` argument), then this, then the Blueprint annotation
   * `quiesce.dev/phase-timeout`, then 15 minutes.
   */
  phaseTimeout?: number | string;
  /** Per-phase time limits by phase name (ms or Go duration). */
  phaseTimeouts?: Record<string, number | string>;
  /**
   * How long the deferPhase may still run once the caller has aborted (ms or a Go duration; default
   * 2 minutes). The deferPhase never runs under the caller's signal: an abort before or during it
   * starts this budget instead of cutting it short. Its own phase time limit applies as well.
   */
  deferTimeout?: number | string;
  /** Check the action with `validateBlueprint` before running (default true). */
  validate?: boolean;
}
