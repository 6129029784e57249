/**
 * `quiesce/builtins`: importing this entry registers Kanister's built-in functions (KubeExec,
 * KubeTask, ScaleWorkload, Wait, …) on the global function registry, exactly like
 * `@quiesce/functions/builtins`.
 *
 * @example
 * ```ts
 * import "quiesce/builtins";
 * ```
 * @packageDocumentation
 */
export * from "@quiesce/functions/builtins";
