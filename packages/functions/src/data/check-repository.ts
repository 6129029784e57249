/** CheckRepository: can the repository be opened with the key? (Kanister pkg/function/checkRepository.go). */
import { z } from "zod";
import { looseBool, looseString, nullAsAbsent, podOverride } from "../args.js";
import { subjectNamespace } from "../builtins/common.js";
import { defineFunction } from "../define-function.js";
import { DEFAULT_FUNCTION_VERSION } from "../function-types.js";
import {
  dataPodMetadataArgs,
  kanisterToolsImage,
  requireProfile,
  resolveArtifactPrefix,
  withToolPod,
} from "./common.js";
import { wrapError } from "./kanister-wrap.js";
import {
  DEFAULT_ENCRYPTION_KEY,
  isPasswordIncorrect,
  isRepositoryMissing,
  type ResticCommand,
  resticArgs,
  resticCommand,
} from "./restic.js";
import { execRestic, resticError, withProfileCredentials } from "./restic-exec.js";

const answer = (passwordIncorrect: boolean, repoUnavailable: boolean) => ({
  passwordIncorrect: String(passwordIncorrect),
  repoUnavailable: String(repoUnavailable),
  version: DEFAULT_FUNCTION_VERSION,
});

/**
 * Kanister's CheckRepository: lists the latest snapshots of `backupArtifactPrefix` (restic
 * `snapshots --last --json`) in a one-off pod of `image` (default kanister-tools) and reports, as
 * outputs `passwordIncorrect` and `repoUnavailable` ("true"/"false"), whether restic said the
 * password was wrong or found no repository there (also when the store cannot be reached). Any
 * other restic failure fails the phase. The pod runs in the subject's namespace (Kanister: its
 * controller's).
 */
export const checkRepository = defineFunction({
  name: "CheckRepository",
  args: z.object({
    image: looseString().optional(),
    backupArtifactPrefix: looseString(),
    encryptionKey: looseString().optional(),
    insecureTLS: nullAsAbsent(looseBool()),
    podOverride: nullAsAbsent(podOverride()),
    ...dataPodMetadataArgs(),
  }),
  outputs: ["passwordIncorrect", "repoUnavailable", "version"],
  async exec(ctx, args) {
    const profile = requireProfile(ctx, false);
    const repository = resolveArtifactPrefix(args.backupArtifactPrefix, profile);
    const pod = {
      namespace: subjectNamespace(ctx.params),
      generateName: "check-repository-",
      image: args.image ?? kanisterToolsImage(),
      podOverride: args.podOverride,
      podLabels: args.podLabels,
      podAnnotations: args.podAnnotations,
    };
    return withToolPod(ctx, pod, async (running) => {
      return withProfileCredentials(ctx, running, profile, async () => {
        let command: ResticCommand;
        try {
          command = resticCommand(
            profile,
            repository,
            args.encryptionKey ?? DEFAULT_ENCRYPTION_KEY,
            resticArgs.latestSnapshots(args.insecureTLS ?? false),
          );
        } catch (err) {
          // Kanister getLatestSnapshots / CheckIfRepoIsReachable.
          throw wrapError(err, "Failed to list snapshots: Failed to create snapshot command");
        }
        const result = await execRestic(ctx, running, command, "Failed to list snapshots");
        // Kanister restic.CheckIfRepoIsReachable: restic's words decide, before its exit code.
        if (isPasswordIncorrect(result.stderr)) return answer(true, false);
        if (isRepositoryMissing(result.stderr)) return answer(false, true);
        if (result.exitCode !== 0) throw resticError("Failed to list snapshots", command, result);
        return answer(false, false);
      });
    });
  },
});
