/** KubeExecAll: the same command in every pod × container, in parallel with a limit; failures reported together. */
import { ErrorCodes, mapSettledLimit, QuiesceError, serializeError } from "@quiesce/core";
import type { Cluster, V1Pod } from "@quiesce/kube";
import { z } from "zod";
import { looseString, nameList, stringList } from "../args.js";
import { defineFunction } from "../define-function.js";
import { PhaseOutputParser } from "../output-parser.js";
import { nonZeroExit, outputsOrNil } from "./common.js";
import { execCallFailed } from "./exec-failure.js";

/** Options of {@link createKubeExecAll}. */
export interface KubeExecAllOptions {
  /** Commands in flight at once (default 32). */
  concurrency?: number;
  /** Registered version (default: the default version). */
  version?: string;
}

/**
 * Builds Kanister's KubeExecAll: `namespace`, `pods` and `containers` (space-separated strings or
 * lists), `command`. Every pod × container runs (at most `concurrency` at once); every failure is
 * listed in one error; outputs of all commands are merged (the last duplicate wins).
 *
 * @example
 * ```ts
 * registry.register(createKubeExecAll({ concurrency: 8, version: "v1.0.0" }));
 * ```
 */
export function createKubeExecAll(options: KubeExecAllOptions = {}) {
  const concurrency = options.concurrency ?? 32;
  return defineFunction({
    name: "KubeExecAll",
    ...(options.version ? { version: options.version } : {}),
    args: z.object({
      namespace: looseString(),
      pods: nameList(),
      containers: nameList(),
      command: stringList(),
    }),
    async exec(ctx, args) {
      const targets = args.pods.flatMap((pod) => args.containers.map((container) => ({ pod, container })));
      const held = await listedPods(ctx.cluster, args.namespace, args.pods, ctx.signal);
      let done = 0;
      const settled = await mapSettledLimit(
        targets,
        concurrency,
        async ({ pod, container }) => {
          const parser = new PhaseOutputParser();
          const listed = held.get(pod);
          const result = await ctx.cluster
            .exec({ namespace: args.namespace, pod, container }, args.command, {
              ...(listed ? { pod: listed } : {}),
              signal: ctx.signal,
              timeoutMs: ctx.timeoutMs,
              // The parser copies what it keeps, so the read buffer's views can be handed to it.
              reuseChunks: true,
              onStdout: (chunk) => parser.write(chunk),
            })
            .catch((err: unknown) => {
              throw execCallFailed(err, ctx.signal);
            });
          parser.end();
          done++;
          ctx.progress(Math.floor((done / targets.length) * 100));
          if (result.exitCode !== 0) throw nonZeroExit(result);
          return parser;
        },
        { signal: ctx.signal },
      );
      if (ctx.signal.aborted) throw ctx.signal.reason;
      const failures = settled.flatMap((r, i) =>
        r.status === "rejected"
          ? [{ ...(targets[i] as { pod: string; container: string }), error: r.reason as unknown }]
          : [],
      );
      if (failures.length > 0) {
        // Kanister pkg/function/kube_exec_all.go execAll: every failure's message, joined by "\n"
        // (in the order the commands ended there; in target order here).
        const lines = failures.map((f) => (f.error as Error)?.message ?? String(f.error));
        throw new QuiesceError(ErrorCodes.HOOK_FAILED, lines.join("\n"), {
          cause: failures[0]?.error,
          details: {
            failures: failures.map((f) => ({
              pod: f.pod,
              container: f.container,
              error: serializeError(f.error),
            })),
          },
        });
      }
      // Kanister parses the outputs only once every command succeeded (execAll: the stdouts joined,
      // then parseLogAndCreateOutput), so a malformed line is the error alone, and only then.
      const outputs: Record<string, string> = {};
      for (const r of settled) {
        if (r.status !== "fulfilled") continue;
        if (r.value.error) throw r.value.error;
        Object.assign(outputs, r.value.outputs);
      }
      return outputsOrNil(outputs);
    },
  });
}

/**
 * The target pods read with one LIST, so that each exec is a single request instead of a GET plus
 * the exec (see `ExecOptions.pod`). With one pod a LIST saves nothing; when listing is refused or
 * fails, every exec simply reads its pod itself.
 */
async function listedPods(
  cluster: Cluster,
  namespace: string,
  pods: readonly string[],
  signal: AbortSignal,
): Promise<Map<string, V1Pod>> {
  const held = new Map<string, V1Pod>();
  if (pods.length < 2) return held;
  const wanted = new Set(pods);
  try {
    for (const pod of await cluster.selectPods(namespace, {}, { signal })) {
      const name = pod.metadata?.name;
      if (name !== undefined && wanted.has(name)) held.set(name, pod);
    }
  } catch {
    if (signal.aborted) throw signal.reason;
  }
  return held;
}

/** KubeExecAll with the default concurrency (32). */
export const kubeExecAll = createKubeExecAll();
