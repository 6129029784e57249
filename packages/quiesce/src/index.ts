/**
 * quiesce — run Kanister Blueprints and KubeStash HookTemplates as execution hooks from
 * TypeScript. This umbrella package re-exports the public API of `@quiesce/core`,
 * `@quiesce/template`, `@quiesce/kube`, `@quiesce/functions`, `@quiesce/executors` and
 * `@quiesce/hooks`. The embedded test cluster stays a separate import (`@quiesce/testing`), and
 * the built-in Kanister functions register through `quiesce/builtins`.
 *
 * Two names exist in two packages and are disambiguated here: `Artifact` is the Kanister artifact
 * of `@quiesce/functions` (`@quiesce/hooks` declares the same shape), and `FunctionDefinition` is
 * `defineFunction`'s input; the KubeStash Function of `@quiesce/executors` is
 * `KubeStashFunctionDefinition`.
 *
 * @example
 * ```ts
 * import "quiesce/builtins";
 * import { connect, inMemoryTemplates, loadHookTemplate, runWithHooks } from "quiesce";
 *
 * const result = await runWithHooks(
 *   {
 *     cluster: connect(),
 *     subject: { kind: "StatefulSet", namespace: "demo", name: "db" },
 *     templates: inMemoryTemplates([loadHookTemplate(freezeYaml)]),
 *     hooks: { pre: [{ name: "freeze", hookTemplate: { name: "freeze", namespace: "demo" } }] },
 *   },
 *   async () => ({ copied: true }),
 * );
 * ```
 * @module quiesce
 * @packageDocumentation
 */

export * from "@quiesce/core";
export type { FunctionDefinition as KubeStashFunctionDefinition } from "@quiesce/executors";
export * from "@quiesce/executors";
export type { Artifact, FunctionDefinition } from "@quiesce/functions";
export * from "@quiesce/functions";
export * from "@quiesce/hooks";
export * from "@quiesce/kube";
export * from "@quiesce/template";
