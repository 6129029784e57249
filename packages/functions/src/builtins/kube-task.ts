/** KubeTask: a one-off pod running a command; outputs come from its log. */
import { z } from "zod";
import { looseString, podOverride, stringList } from "../args.js";
import { defineFunction } from "../define-function.js";
import { given, subjectNamespace } from "./common.js";
import { podMetadataArgs } from "./pod-metadata.js";
import { runTaskPod } from "./run-task-pod.js";

/**
 * Kanister's KubeTask (pkg/function/kube_task.go): `image`, `command`, optional `namespace`
 * (default: the subject's namespace), `podOverride` (a strategic merge patch of the generated pod
 * spec, whose container is named `container`; the ActionSet's podOverride wins over it),
 * `podLabels` and `podAnnotations` (merged with the ActionSet's; the Blueprint's win). The pod is
 * named `kanister-job-…` and labelled `createdBy: kanister`; its log is parsed for outputs while it
 * streams; a pod that does not succeed fails the phase.
 */
export const kubeTask = defineFunction({
  name: "KubeTask",
  args: z.object({
    namespace: looseString().optional(),
    image: looseString(),
    command: stringList(),
    podOverride: podOverride().optional(),
    ...podMetadataArgs(),
  }),
  async exec(ctx, args) {
    return runTaskPod(ctx, {
      namespace: given(args.namespace) ?? subjectNamespace(ctx.params),
      generateName: "kanister-job-",
      image: args.image,
      command: args.command,
      ...(args.podOverride ? { podOverride: args.podOverride } : {}),
      ...(args.podLabels ? { labels: args.podLabels } : {}),
      ...(args.podAnnotations ? { annotations: args.podAnnotations } : {}),
    });
  },
});
