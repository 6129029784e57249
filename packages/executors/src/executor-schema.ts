/** The KubeStash HookTemplate `spec.executor` (HookExecutor), as a zod schema. */
import { z } from "zod";
import { runtimeSettingsSchema } from "./executors/runtime-settings.js";

/** The executor types KubeStash defines; a host may register more (see ExecutorRegistry). */
export const BUILTIN_EXECUTOR_TYPES = ["Pod", "Operator", "Function"] as const;

/** `executor.pod.owner`: a metav1.OwnerReference template filtering pods by their controller chain. */
export const podOwnerSchema = z.strictObject({
  apiVersion: z.string().optional(),
  kind: z.string().min(1, "owner.kind cannot be empty"),
  name: z.string().min(1, "owner.name cannot be empty"),
  uid: z.string().optional(),
  controller: z.boolean().optional(),
  blockOwnerDeletion: z.boolean().optional(),
});

/**
 * `executor.pod` (PodHookExecutorSpec). The selector is KubeStash's `"k=v, k2=v2"` form: as its
 * HookTemplate webhook checks (webhooks/core/v1alpha1/hooktemplate.go validateExecutorInfo), every
 * comma-separated part must hold an `=` (`k=v`, `k==v`, `k!=v`).
 */
export const podExecutorSpecSchema = z.strictObject({
  selector: z
    .string()
    .trim()
    .min(1, "executor.pod.selector cannot be empty")
    .refine((s) => s.split(",").every((part) => part.trim().split("=").length >= 2), {
      message:
        'invalid selector for the Pod executor: every comma-separated part must be key=value (KubeStash does not take set-based selectors such as "k in (a,b)")',
    }),
  owner: podOwnerSchema.optional(),
  /** Default `ExecuteOnOne`. */
  strategy: z.enum(["ExecuteOnOne", "ExecuteOnAll"]).optional(),
});

/** A core/v1 EnvVar (`value` or `valueFrom`). */
export const envVarSchema = z.looseObject({
  name: z.string().min(1, "an env var needs a name"),
  value: z.string().optional(),
  valueFrom: z.record(z.string(), z.unknown()).optional(),
});

/** A core/v1 VolumeMount. */
export const volumeMountSchema = z.looseObject({
  name: z.string().min(1),
  mountPath: z.string().min(1),
  readOnly: z.boolean().optional(),
  subPath: z.string().optional(),
});

/** A core/v1 (offshoot) Volume: a name plus one volume source, passed through to the Job. */
export const volumeSchema = z.looseObject({ name: z.string().min(1) });

/**
 * `executor.function` (FunctionHookExecutorSpec): `name` of a KubeStash Function
 * (`addons.kubestash.com/v1alpha1`), extra `env`, `volumes` and `volumeMounts`.
 * quiesce also accepts the Function's own container fields inline (`image`, `command`, `args`,
 * `workingDir`, `runtimeSettings`), so a host can run a Function executor without the CRD.
 */
export const functionExecutorSpecSchema = z.strictObject({
  name: z.string().min(1, "executor.function.name cannot be empty"),
  env: z.array(envVarSchema).optional(),
  volumeMounts: z.array(volumeMountSchema).optional(),
  volumes: z.array(volumeSchema).optional(),
  image: z.string().min(1).optional(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  workingDir: z.string().optional(),
  /** offshoot-api RuntimeSettings of the hook's Job (a hook reference's `runtimeSettings` lands here). */
  runtimeSettings: runtimeSettingsSchema.optional(),
});

/**
 * `spec.executor` of a HookTemplate. `type` is `Pod`, `Operator`, `Function`, or a type a host
 * registered. `pod` is required (with a selector) for `Pod` and only valid there; `function` is
 * required for `Function` and only valid there.
 *
 * @example
 * ```ts
 * executorSchema.parse({ type: "Pod", pod: { selector: "app=web, env=prod", strategy: "ExecuteOnAll" } });
 * ```
 */
export const executorSchema = z
  .strictObject({
    type: z
      .string()
      .regex(/^[A-Z][A-Za-z0-9]*$/, "expected an executor type such as Pod, Operator or Function"),
    pod: podExecutorSpecSchema.optional(),
    function: functionExecutorSpecSchema.optional(),
  })
  .superRefine((ex, ctx) => {
    if (ex.type === "Pod" && ex.pod === undefined) {
      ctx.addIssue({
        code: "custom",
        message: 'executor type Pod needs executor.pod with a selector (e.g. selector: "app=web")',
        path: ["pod"],
      });
    }
    if (ex.type === "Function" && ex.function === undefined) {
      ctx.addIssue({
        code: "custom",
        message: "executor type Function needs executor.function with the Function's name",
        path: ["function"],
      });
    }
    if (ex.pod !== undefined && ex.type !== "Pod") {
      ctx.addIssue({
        code: "custom",
        message: `executor.pod is only valid with type Pod (type is ${ex.type})`,
        path: ["pod"],
      });
    }
    if (ex.function !== undefined && ex.type !== "Function") {
      ctx.addIssue({
        code: "custom",
        message: `executor.function is only valid with type Function (type is ${ex.type})`,
        path: ["function"],
      });
    }
  });

/** A validated executor spec. */
export type ExecutorSpec = z.infer<typeof executorSchema>;
/** `executor.pod`. */
export type PodExecutorSpec = z.infer<typeof podExecutorSpecSchema>;
/** `executor.function`. */
export type FunctionExecutorSpec = z.infer<typeof functionExecutorSpecSchema>;
/** A core/v1 EnvVar. */
export type EnvVar = z.infer<typeof envVarSchema>;
