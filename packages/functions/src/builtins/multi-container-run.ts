/** MultiContainerRun: one pod with an init, a background and an output container sharing a volume. */
import { z } from "zod";
import { looseString, podOverride, stringList, stringMap } from "../args.js";
import { defineFunction } from "../define-function.js";
import { given, mergePodOverride, subjectNamespace } from "./common.js";
import { runTaskPod } from "./run-task-pod.js";

/** Name of the generated main container of a one-off pod (the output container here). */
export const MAIN_CONTAINER = "container";

/**
 * Kanister's MultiContainerRun: `backgroundImage`/`backgroundCommand` and `outputImage`/
 * `outputCommand` run side by side (optional `initImage`/`initCommand` first), sharing an emptyDir
 * at `sharedVolumeDir` (default `/tmp/`, `sharedVolumeMedium`, `sharedVolumeSizeLimit`); outputs
 * come from the output container's log. The output container is the pod's first container.
 */
export const multiContainerRun = defineFunction({
  name: "MultiContainerRun",
  args: z.object({
    namespace: looseString().optional(),
    backgroundImage: looseString(),
    backgroundCommand: stringList(),
    outputImage: looseString(),
    outputCommand: stringList(),
    initImage: looseString().optional(),
    initCommand: stringList().optional(),
    sharedVolumeMedium: looseString().optional(),
    sharedVolumeSizeLimit: looseString().optional(),
    sharedVolumeDir: looseString().optional(),
    podOverride: podOverride().optional(),
    podLabels: stringMap().optional(),
  }),
  async exec(ctx, args) {
    const mounts = [{ name: "shared", mountPath: given(args.sharedVolumeDir) ?? "/tmp/" }];
    const emptyDir: Record<string, string> = {};
    const medium = given(args.sharedVolumeMedium);
    const size = given(args.sharedVolumeSizeLimit);
    if (medium) emptyDir.medium = medium;
    if (size) emptyDir.sizeLimit = size;
    const initImage = given(args.initImage);
    const generated: Record<string, unknown> = {
      restartPolicy: "Never",
      volumes: [{ name: "shared", emptyDir }],
      containers: [
        { name: MAIN_CONTAINER, volumeMounts: mounts },
        {
          name: "background",
          image: args.backgroundImage,
          command: args.backgroundCommand,
          volumeMounts: mounts,
        },
      ],
      ...(initImage
        ? {
            initContainers: [
              { name: "init", image: initImage, command: args.initCommand ?? [], volumeMounts: mounts },
            ],
          }
        : {}),
    };
    const override = mergePodOverride(generated, args.podOverride ?? null) as Record<string, unknown>;
    return runTaskPod(ctx, "MultiContainerRun", {
      namespace: given(args.namespace) ?? subjectNamespace(ctx.params),
      generateName: "kanister-job-",
      image: args.outputImage,
      command: args.outputCommand,
      podOverride: override,
      ...(args.podLabels ? { labels: args.podLabels } : {}),
    });
  },
});
