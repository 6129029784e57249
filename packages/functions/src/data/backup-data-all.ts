/** BackupDataAll: BackupData in every pod of the subject, in parallel (Kanister pkg/function/backup_data_all.go). */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { z } from "zod";
import { looseBool, looseString } from "../args.js";
import { defineFunction } from "../define-function.js";
import { DEFAULT_FUNCTION_VERSION } from "../function-types.js";
import type { TemplateParams } from "../template-params.js";
import { backupPath } from "./backup-data.js";
import { requireProfile, resolveArtifactPrefix } from "./common.js";
import { DEFAULT_ENCRYPTION_KEY } from "./restic.js";

/** One pod's backup in `BackupAllInfo` (Kanister's BackupInfo; JSON field names as Go writes them). */
export interface BackupInfo {
  PodName: string;
  BackupID: string;
  BackupTag: string;
}

/** The pods of a `*All` function: `pods` split at white space, else every pod of the subject workload. */
export function podsOf(pods: string | undefined, params: TemplateParams, func: string): string[] {
  if (pods !== undefined && pods !== "") return pods.split(/\s+/).filter((p) => p !== "");
  const workload = params.Deployment ?? params.StatefulSet;
  if (!workload) {
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      `${func}: Failed to get pods (no \`pods\` and the subject is not a Deployment or StatefulSet)`,
    );
  }
  return [...workload.Pods];
}

/** `map[string]BackupInfo` as Go's json.Marshal writes it: keys sorted, fields in declaration order. */
export function backupAllInfoJson(infos: Record<string, BackupInfo>): string {
  const sorted: Record<string, BackupInfo> = {};
  for (const pod of Object.keys(infos).sort()) {
    const info = infos[pod] as BackupInfo;
    sorted[pod] = { PodName: info.PodName, BackupID: info.BackupID, BackupTag: info.BackupTag };
  }
  return JSON.stringify(sorted);
}

/**
 * Kanister's BackupDataAll: BackupData of `includePath` in `container` of each pod (`pods`,
 * space-separated; default every pod of the subject), all at once, each into
 * `<backupArtifactPrefix>/<pod>`. Output `BackupAllInfo`: JSON `{"<pod>":{"PodName","BackupID","BackupTag"}}`
 * (the input of RestoreDataAll and DeleteDataAll). Every pod's failure is reported together.
 */
export const backupDataAll = defineFunction({
  name: "BackupDataAll",
  args: z.object({
    namespace: looseString(),
    container: looseString(),
    includePath: looseString(),
    backupArtifactPrefix: looseString(),
    pods: looseString().optional(),
    encryptionKey: looseString().optional(),
    insecureTLS: looseBool().optional(),
  }),
  outputs: ["BackupAllInfo", "version"],
  async exec(ctx, args) {
    const profile = requireProfile(ctx, "BackupDataAll");
    const prefix = resolveArtifactPrefix(args.backupArtifactPrefix, profile);
    const pods = podsOf(args.pods, ctx.params, "BackupDataAll");
    const settled = await Promise.allSettled(
      pods.map((pod) =>
        backupPath(
          ctx,
          profile,
          { namespace: args.namespace, pod, container: args.container },
          `${prefix}/${pod}`,
          args.includePath,
          args.encryptionKey ?? DEFAULT_ENCRYPTION_KEY,
          args.insecureTLS ?? false,
        ),
      ),
    );
    const failures: { pod: string; error: unknown }[] = [];
    const infos: Record<string, BackupInfo> = {};
    settled.forEach((outcome, i) => {
      const pod = pods[i] as string;
      if (outcome.status === "rejected") failures.push({ pod, error: outcome.reason });
      else
        infos[pod] = { PodName: pod, BackupID: outcome.value.backupID, BackupTag: outcome.value.backupTag };
    });
    if (failures.length > 0) throw allFailed("Failed to backup data for pod", failures);
    return { BackupAllInfo: backupAllInfoJson(infos), version: DEFAULT_FUNCTION_VERSION };
  },
});

/** One error for the failures of an `*All` function, one line per pod (as Kanister joins them). */
export function allFailed(what: string, failures: { pod: string; error: unknown }[]): QuiesceError {
  const first = failures[0]?.error;
  const code = first instanceof QuiesceError ? first.code : ErrorCodes.HOOK_FAILED;
  return new QuiesceError(
    code,
    failures.map((f) => `${what} ${f.pod}: ${(f.error as Error)?.message ?? String(f.error)}`).join("\n"),
    {
      cause: first,
      details: {
        failures: failures.map((f) => ({
          pod: f.pod,
          ...(f.error instanceof QuiesceError
            ? { code: f.error.code, details: f.error.details }
            : { message: String(f.error) }),
        })),
      },
    },
  );
}
