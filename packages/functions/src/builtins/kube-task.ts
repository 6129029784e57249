/** KubeTask: a one-off pod running a command; outputs come from its log. */
import { z } from "zod";
import { looseString, podOverride, stringList, stringMap } from "../args.js";
import { defineFunction } from "../define-function.js";
import { given, subjectNamespace } from "./common.js";
import { runTaskPod } from "./run-task-pod.js";

/**
 * Kanister's KubeTask: `image`, `command`, optional `namespace` (default: the subject's namespace),
 * `podOverride` (merged into the generated pod spec; its container is named `container`) and
 * `podLabels`. The pod's log is parsed for outputs while it streams; a pod that does not succeed
 * fails the phase.
 */
export const kubeTask = defineFunction({
  name: "KubeTask",
  args: z.object({
    namespace: looseString().optional(),
    image: looseString(),
    command: stringList(),
    podOverride: podOverride().optional(),
    podLabels: stringMap().optional(),
  }),
  async exec(ctx, args) {
    return runTaskPod(ctx, "KubeTask", {
      namespace: given(args.namespace) ?? subjectNamespace(ctx.params),
      generateName: "kanister-job-",
      image: args.image,
      command: args.command,
      ...(args.podOverride ? { podOverride: args.podOverride } : {}),
      ...(args.podLabels ? { labels: args.podLabels } : {}),
    });
  },
});
