/** Options of the Blueprint action runner. */
import type { Logger } from "@quiesce/core";
import type { Cluster, SessionRecordSettings } from "@quiesce/kube";
import type { TemplateLimits } from "@quiesce/template";
import type { Instant } from "../go-time.js";
import type { ProfileInput } from "../profile/resolve.js";
import type { FunctionRegistry } from "../registry.js";
import type { Artifact, NamedObjectRef, Subject, TemplateParams } from "../template-params.js";
import type { BlueprintEvents } from "./events.js";

/** Default budget of the deferPhase once the caller has aborted: 2 minutes (like runWithHooks' cleanupTimeout). */
export const DEFAULT_DEFER_TIMEOUT_MS = 2 * 60_000;

/** Blueprint annotation setting a time limit for every phase (a Go duration, e.g. "30m"); by default a phase has none. */
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
  /**
   * `.Secrets.<name>`: every Secret given is read, as Kanister reads the ActionSet's `secrets`. The
   * action's `secretNames` are informational in Kanister: nothing checks them against these.
   */
  secrets?: Record<string, NamedObjectRef>;
  /** `.ConfigMaps.<name>`, read like `secrets` (the action's `configMapNames` are informational). */
  configMaps?: Record<string, NamedObjectRef>;
  /**
   * `.Profile`: a Profile resource by `{ namespace, name }` (read with its credential Secret before
   * any phase runs; problems are QUIESCE_PROFILE_INVALID errors naming the field), or a Profile
   * already built (`loadProfile`). Its credentials are redacted from errors and events.
   */
  profile?: ProfileInput;
  /** The ActionSet's podOverride: merged over each function's `podOverride` (it wins), as Kanister does. */
  podOverride?: Record<string, unknown>;
  /** The ActionSet's podLabels: on every pod the functions create (a function's `podLabels` win). */
  podLabels?: Record<string, string>;
  /** The ActionSet's podAnnotations: on every pod the functions create (a function's `podAnnotations` win). */
  podAnnotations?: Record<string, string>;
  /**
   * How long a pod a function creates may take to start, ms or a Go duration (Kanister's
   * TIMEOUT_WORKER_POD_READY); default 15 minutes.
   */
  podReadyTimeout?: number | string;
  /** `.Time` (a Date, or a Go time to the nanosecond); default: the action's start, to the microsecond. */
  time?: Instant;
  logger?: Logger;
  events?: BlueprintEvents;
  /**
   * Time limit of each phase, ms or a Go duration. Kanister gives a phase none, and neither does
   * quiesce by default: a long backup is never cut off. Precedence: `phaseTimeouts[phase]`, then a
   * function's own (Wait's `timeout` argument), then this, then the Blueprint annotation
   * `quiesce.dev/phase-timeout`, else none.
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
  /**
   * Crash safety. Before its first phase runs, an action with a deferPhase records the deferPhase it
   * owes in the cluster — a ConfigMap guarded by a `coordination.k8s.io/v1` Lease that this process
   * renews — with what running it needs (the Blueprint, subject, options, artifacts, Secret and
   * ConfigMap references, the Profile without its credentials, each phase's output), so that
   * `recoverSessions` runs the deferPhase if this process dies. The record is deleted once the
   * deferPhase succeeded, and kept (recoverable at once) when it failed. A record that cannot be
   * written fails the action before any phase runs (`QUIESCE_SESSION_RECORD_FAILED`). Settings (the
   * default: on, in the subject's namespace, 30 s Lease), or `false` for no record.
   */
  sessionRecord?: SessionRecordSettings | false;
  /**
   * Limits of every template the action renders (a phase's arguments and objects, Wait conditions,
   * output artifacts): steps, work, value and output sizes, time. Default: `DEFAULT_LIMITS` of
   * `@quiesce/template`. A template that reaches one fails its phase with `QUIESCE_TEMPLATE_LIMIT`.
   */
  templateLimits?: TemplateLimits;
}
