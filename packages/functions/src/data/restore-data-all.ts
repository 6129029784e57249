/** RestoreDataAll: RestoreData for every pod of the subject, in parallel (Kanister pkg/function/restore_data_all.go). */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { z } from "zod";
import { looseBool, looseString, nullAsAbsent, podOverride } from "../args.js";
import { defineFunction } from "../define-function.js";
import { type BackupInfo, joinedFailures, podsOf } from "./backup-data-all.js";
import { dataPodMetadataArgs, fetchPodVolumes, pvcMounts, requireProfile } from "./common.js";
import { wrapError, wrapped } from "./kanister-wrap.js";
import { DEFAULT_ENCRYPTION_KEY } from "./restic.js";
import { restoreInPod } from "./restore-data.js";

const jsonKind = (v: unknown) =>
  Array.isArray(v) ? "array" : typeof v === "boolean" ? "bool" : typeof v === "object" ? "object" : typeof v;

function undecodable(text: string, cause?: unknown): QuiesceError {
  return new QuiesceError(ErrorCodes.VALIDATION, `Could not decode JSON data: ${text}`, {
    ...(cause !== undefined ? { cause } : {}),
  });
}

/**
 * Reads a `BackupAllInfo` value (JSON `{"<pod>": {"PodName","BackupID","BackupTag"}}`) as Go's
 * json.Unmarshal into map[string]BackupInfo does (RestoreDataAll, DeleteDataAll): field names match
 * case-insensitively, missing ones and `null` are "", other fields are ignored, and a value of the
 * wrong JSON type fails with Go's words (`json: cannot unmarshal array into Go value of type
 * map[string]function.BackupInfo`), behind Kanister's `Could not decode JSON data`. Text that is
 * not JSON at all fails with the JavaScript parser's description after that prefix.
 */
export function parseBackupInfo(text: string): Record<string, BackupInfo> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw undecodable((cause as Error).message, cause);
  }
  if (parsed === null) return {};
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    throw undecodable(
      `json: cannot unmarshal ${jsonKind(parsed)} into Go value of type map[string]function.BackupInfo`,
    );
  }
  const out: Record<string, BackupInfo> = {};
  for (const [pod, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (value !== null && (typeof value !== "object" || Array.isArray(value))) {
      throw undecodable(
        `json: cannot unmarshal ${jsonKind(value)} into Go value of type function.BackupInfo`,
      );
    }
    const fields = (value ?? {}) as Record<string, unknown>;
    const field = (name: keyof BackupInfo) => {
      const key = Object.hasOwn(fields, name)
        ? name
        : Object.keys(fields).find((k) => k.toLowerCase() === name.toLowerCase());
      const v = key === undefined ? undefined : fields[key];
      if (v === undefined || v === null) return "";
      if (typeof v !== "string") {
        throw undecodable(
          `json: cannot unmarshal ${jsonKind(v)} into Go struct field BackupInfo.${name} of type string`,
        );
      }
      return v;
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
    podOverride: nullAsAbsent(podOverride()),
    insecureTLS: nullAsAbsent(looseBool()),
    ...dataPodMetadataArgs(),
  }),
  async exec(ctx, args) {
    const pods = podsOf(args.pods, ctx.params, "Unsupported workload type");
    const profile = requireProfile(ctx, false);
    const input = parseBackupInfo(args.backupInfo);
    const settled = await Promise.allSettled(
      pods.map(async (pod) => {
        // Kanister restore_data_all.go: each pod's error wrapped by what failed (pod in the details).
        let vols: Record<string, string>;
        try {
          vols = fetchPodVolumes(pod, ctx.params);
        } catch (err) {
          throw wrapError(err, "Failed to get volumes of pod", { pod });
        }
        return wrapped(
          ctx.signal,
          "Failed to restore data for pod",
          async () =>
            restoreInPod(
              ctx,
              profile,
              {
                namespace: args.namespace,
                generateName: "restore-data-all-",
                image: args.image,
                volumes: await pvcMounts(ctx, args.namespace, vols),
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
          { pod },
        );
      }),
    );
    const failures: { pod: string; error: unknown }[] = [];
    const output: Record<string, string> = {};
    settled.forEach((outcome, i) => {
      if (outcome.status === "rejected") failures.push({ pod: pods[i] as string, error: outcome.reason });
      else Object.assign(output, outcome.value);
    });
    if (failures.length > 0) throw joinedFailures(failures);
    return output;
  },
});
