/** Preparing a Velero hook: its fields checked, its exec bound to the session's cluster. */
import { ErrorCodes, parseDuration, QuiesceError } from "@quiesce/core";
import { z } from "zod";
import type { PreparedHook } from "../hook-spec.js";
import type { PrepareEnv } from "../prepare-settings.js";
import type { HookPhase } from "../result.js";
import { parseWith } from "../validation.js";
import { execVeleroHook } from "./velero-hook.js";
import type { VeleroHookSpec } from "./velero-hook-spec.js";

const duration = z.string().refine(
  (v) => {
    try {
      parseDuration(v);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected a Go duration such as "30s"' },
);

const veleroExecHookSchema = z.strictObject({
  operation: z.enum(["backup", "restore"]),
  phase: z.enum(["pre", "post"]),
  namespace: z.string().min(1),
  pod: z.string().min(1),
  container: z.string().min(1),
  command: z.array(z.string()),
  onError: z.enum(["Fail", "Continue"]).optional(),
  timeout: duration,
  waitTimeout: duration.optional(),
  waitForReady: z.boolean().optional(),
  waitBound: duration.optional(),
  source: z.enum(["annotation", "spec"]),
  rule: z.string(),
  index: z.number().int().min(0),
  declaredContainer: z.string().optional(),
});

// The exec's own limit reports first (with "possibly still running"); the attempt's deadline is a backstop.
const GRACE_MS = 5000;
const DEFAULT_EXEC_MS = 30_000;

/** Prepares a {@link VeleroHookSpec} for `phase` (its own phase must match the list it is in). */
export function prepareVeleroHook(
  spec: VeleroHookSpec,
  phase: HookPhase,
  path: string,
  env: PrepareEnv,
): PreparedHook {
  if (typeof spec.name !== "string" || spec.name === "") {
    throw new QuiesceError(ErrorCodes.VALIDATION, `${path}.name: a Velero hook needs a name`);
  }
  const hook = parseWith(veleroExecHookSchema, spec.velero, `${path}.velero`);
  if (hook.phase !== phase) {
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      `${path}: a Velero ${hook.operation} ${hook.phase} hook cannot run as a ${phase} hook`,
    );
  }
  if (hook.operation === "restore" && phase !== "post") {
    throw new QuiesceError(ErrorCodes.VALIDATION, `${path}: Velero restore hooks are post hooks`);
  }
  const cluster = env.cluster;
  if (!cluster) throw new QuiesceError(ErrorCodes.VALIDATION, `${path}: Velero hooks need a cluster`);
  // pkg/podexec/pod_command_executor.go: a zero timeout is the 30s default (defaultTimeout); a
  // negative one sets no timer at all ("if localHook.Timeout.Duration > 0").
  const set = parseDuration(hook.timeout);
  const execMs = set === 0 ? DEFAULT_EXEC_MS : set < 0 ? Number.POSITIVE_INFINITY : set;
  return {
    name: spec.name,
    kind: "velero",
    phase,
    namespace: hook.namespace,
    maxRetry: 0,
    timeoutMs: Number.isFinite(execMs) ? execMs + GRACE_MS : undefined,
    executionPolicy: undefined,
    continueOnError: false,
    velero: hook,
    run: (ctx) => execVeleroHook(cluster, hook, execMs, ctx.signal, env.outputLimitBytes),
  };
}
