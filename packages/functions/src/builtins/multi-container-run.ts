/** MultiContainerRun: one pod with an output and a background container (and an init one) sharing a volume. */
import { z } from "zod";
import { looseString, podOverride, stringList } from "../args.js";
import { defineFunction } from "../define-function.js";
import { given, subjectNamespace } from "./common.js";
import { expandGenericContainer } from "./multi-container-override.js";
import { KANISTER_CREATED_BY, podMetadataArgs } from "./pod-metadata.js";
import { runTaskPod } from "./run-task-pod.js";

/** Name of the container whose log holds the outputs (Kanister's ktpOutputContainer). */
export const OUTPUT_CONTAINER = "output";
/** Name of the background container (Kanister's ktpBackgroundContainer). */
export const BACKGROUND_CONTAINER = "background";
/** Name of the init container (Kanister's ktpInitContainer). */
export const INIT_CONTAINER = "init";
const SHARED_VOLUME = "shared";
const DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";

/**
 * Kanister's MultiContainerRun (pkg/function/multi_container_run.go): a pod of two containers,
 * `output` (first: its log holds the outputs) and `background`, plus an `init` container when
 * `initImage` is given, all mounting the emptyDir volume `shared` at `sharedVolumeDir` (default
 * `/tmp/`; `sharedVolumeMedium`, `sharedVolumeSizeLimit`). `podOverride` merges into that spec (a
 * container named `output` merges into the output container); the ActionSet's podOverride wins,
 * its `container` entry standing for every container. `podLabels`/`podAnnotations` as for
 * KubeTask; the pod is labelled `createdBy: kanister` and annotated as defaulting to `output`.
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
    ...podMetadataArgs(),
  }),
  async exec(ctx, args) {
    const volumeMounts = [{ name: SHARED_VOLUME, mountPath: args.sharedVolumeDir ?? "/tmp/" }];
    const emptyDir: Record<string, string> = {};
    const medium = given(args.sharedVolumeMedium);
    const size = given(args.sharedVolumeSizeLimit);
    if (medium) emptyDir.medium = medium;
    if (size) emptyDir.sizeLimit = size;
    const initImage = given(args.initImage);
    const podSpec = {
      restartPolicy: "Never",
      volumes: [{ name: SHARED_VOLUME, emptyDir }],
      ...(initImage
        ? {
            initContainers: [
              { name: INIT_CONTAINER, image: initImage, command: args.initCommand ?? [], volumeMounts },
            ],
          }
        : {}),
      containers: [
        { name: OUTPUT_CONTAINER, image: args.outputImage, command: args.outputCommand, volumeMounts },
        {
          name: BACKGROUND_CONTAINER,
          image: args.backgroundImage,
          command: args.backgroundCommand,
          volumeMounts,
        },
      ],
    };
    return runTaskPod(
      ctx,
      {
        namespace: given(args.namespace) ?? subjectNamespace(ctx.params),
        generateName: "kanister-job-",
        image: args.outputImage,
        command: args.outputCommand,
        containerName: OUTPUT_CONTAINER,
        podSpec,
        ...(args.podOverride ? { podOverride: args.podOverride } : {}),
        ...(args.podLabels ? { labels: args.podLabels } : {}),
        ...(args.podAnnotations ? { annotations: args.podAnnotations } : {}),
      },
      {
        actionSetOverride: expandGenericContainer(ctx.params.PodOverride, initImage !== undefined),
        // Set after the merge, as MultiContainerRun does: they win over the arguments'.
        labels: { ...KANISTER_CREATED_BY },
        annotations: { [DEFAULT_CONTAINER_ANNOTATION]: OUTPUT_CONTAINER },
      },
    );
  },
});
