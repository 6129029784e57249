/** KubeExec: runs a command in a container of a pod; outputs come from its stdout. */
import { z } from "zod";
import { looseString, stringList } from "../args.js";
import { defineFunction } from "../define-function.js";
import { PhaseOutputParser } from "../output-parser.js";
import { given, nonZeroExit } from "./common.js";

/**
 * Kanister's KubeExec: `namespace`, `pod`, `container` (default: the pod's default container),
 * `command` (argv). A non-zero exit fails the phase; `###Phase-output###` lines become outputs.
 */
export const kubeExec = defineFunction({
  name: "KubeExec",
  args: z.object({
    namespace: looseString(),
    pod: looseString(),
    container: looseString().optional(),
    command: stringList(),
  }),
  async exec(ctx, args) {
    const parser = new PhaseOutputParser();
    const container = given(args.container);
    const result = await ctx.cluster.exec(
      { namespace: args.namespace, pod: args.pod, ...(container ? { container } : {}) },
      args.command,
      { signal: ctx.signal, timeoutMs: ctx.timeoutMs, onStdout: (chunk) => parser.write(chunk) },
    );
    parser.end();
    if (result.exitCode !== 0) throw nonZeroExit("KubeExec command", result);
    return parser.result();
  },
});
