/** RestoreDataAll: RestoreData for every pod of the subject, in parallel (Kanister pkg/function/restore_data_all.go). */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { z } from "zod";
import { looseBool, looseString, podOverride } from "../args.js";
import { podMetadataArgs } from "../builtins/pod-metadata.js";
import { defineFunction } from "../define-function.js";
import { allFailed, type BackupInfo, podsOf } from "./backup-data-all.js";
import { fetchPodVolumes, pvcMounts, requireProfile } from "./common.js";
import { DEFAULT_ENCRYPTION_KEY } from "./restic.js";
import { restoreInPod } from "./restore-data.js";

/**
 * Reads a `BackupAllInfo` value (JSON `{"<pod>": {"PodName","BackupID","BackupTag"}}`) as Go's
 * json.Unmarshal into map[string]BackupInfo does: field names match case-insensitively, missing
 * ones are "".
 */
export function parseBackupInfo(text: string, func: string): Record<string, BackupInfo> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      `${func}: Could not decode JSON data in backupInfo: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  if (parsed === null) return {};
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      `${func}: Could not decode JSON data in backupInfo: not an object`,
    );
  }
  const out: Record<string, BackupInfo> = {};
  for (const [pod, value] of Object.entries(parsed as Record<string, unknown>)) {
    const fields = value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
    const field = (name: string) => {
      const key = Object.hasOwn(fields, name)
        ? name
        : Object.keys(fields).find((k) => k.toLowerCase() === name.toLowerCase());
      const v = key === undefined ? undefined : fields[key];
      return typeof v === "string" ? v : "";
    };
    out[pod] = { PodName: field("PodName"), BackupID: field("BackupID"), BackupTag: field("BackupTag") };
  }
  return out;
}

/**
 * Kanister's RestoreDataAll: for each pod (`pods`, space-separated; default every pod of the
 * subject) a one-off pod mounting that pod's PVCs where it mounts them restores the snapshot
 * `backupInfo[pod].BackupID` of `<backupArtifactPrefix>/<pod>`, all at once. As in Kanister the
 * prefix is used as given (not prefixed with the Profile's bucket, unlike BackupDataAll).
 * Outputs: the restores' `###Phase-output###` lines, merged.
 */
export const restoreDataAll = defineFunction({
  name: "RestoreDataAll",
  args: z.object({
    namespace: looseString(),
    image: looseString(),
    backupArtifactPrefix: looseString(),
    backupInfo: looseString(),
    restorePath: looseString().optional(),
    encryptionKey: looseString().optional(),
    pods: looseString().optional(),
    podOverride: podOverride().optional(),
    insecureTLS: looseBool().optional(),
    ...podMetadataArgs(),
  }),
  async exec(ctx, args) {
    const pods = podsOf(args.pods, ctx.params, "RestoreDataAll");
    const profile = requireProfile(ctx, "RestoreDataAll");
    const input = parseBackupInfo(args.backupInfo, "RestoreDataAll");
    const settled = await Promise.allSettled(
      pods.map(async (pod) =>
        restoreInPod(
          ctx,
          profile,
          {
            namespace: args.namespace,
            generateName: "restore-data-all-",
            image: args.image,
            volumes: await pvcMounts(ctx, args.namespace, fetchPodVolumes(pod, ctx.params)),
            podOverride: args.podOverride,
            podLabels: args.podLabels,
            podAnnotations: args.podAnnotations,
          },
          {
            repository: `${args.backupArtifactPrefix}/${pod}`,
            restorePath: args.restorePath ?? "/",
            backupTag: "",
            backupID: (Object.hasOwn(input, pod) ? input[pod]?.BackupID : undefined) ?? "",
            backupPath: "",
            encryptionKey: args.encryptionKey ?? DEFAULT_ENCRYPTION_KEY,
            insecureTLS: args.insecureTLS ?? false,
          },
        ),
      ),
    );
    const failures: { pod: string; error: unknown }[] = [];
    const output: Record<string, string> = {};
    settled.forEach((outcome, i) => {
      if (outcome.status === "rejected") failures.push({ pod: pods[i] as string, error: outcome.reason });
      else Object.assign(output, outcome.value);
    });
    if (failures.length > 0) throw allFailed("Failed to restore data for pod", failures);
    return output;
  },
});
