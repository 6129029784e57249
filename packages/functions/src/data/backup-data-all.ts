/** BackupDataAll: BackupData in every pod of the subject, in parallel (Kanister pkg/function/backup_data_all.go). */
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { z } from "zod";
import { looseBool, looseString, nullAsAbsent } from "../args.js";
import { defineFunction } from "../define-function.js";
import { DEFAULT_FUNCTION_VERSION } from "../function-types.js";
import type { TemplateParams } from "../template-params.js";
import { backupPath } from "./backup-data.js";
import { requireProfile, resolveArtifactPrefix } from "./common.js";
import { wrapped } from "./kanister-wrap.js";
import { DEFAULT_ENCRYPTION_KEY } from "./restic.js";

/** One pod's backup in `BackupAllInfo` (Kanister's BackupInfo; JSON field names as Go writes them). */
export interface BackupInfo {
  PodName: string;
  BackupID: string;
  BackupTag: string;
}

/**
 * The pods of a `*All` function: `pods` split at white space, else every pod of the subject
 * workload; `noWorkload` is the function's error text when the subject has none (Kanister:
 * BackupDataAll "Failed to get pods", RestoreDataAll "Unsupported workload type").
 */
export function podsOf(pods: string | undefined, params: TemplateParams, noWorkload: string): string[] {
  if (pods !== undefined && pods !== "") return pods.split(/\s+/).filter((p) => p !== "");
  const workload = params.Deployment ?? params.StatefulSet;
  if (!workload) throw new QuiesceError(ErrorCodes.VALIDATION, noWorkload);
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
    insecureTLS: nullAsAbsent(looseBool()),
  }),
  outputs: ["BackupAllInfo", "version"],
  async exec(ctx, args) {
    const profile = requireProfile(ctx, true);
    const prefix = resolveArtifactPrefix(args.backupArtifactPrefix, profile);
    const pods = podsOf(args.pods, ctx.params, "Failed to get pods");
    const settled = await Promise.allSettled(
      pods.map((pod) =>
        wrapped(
          ctx.signal,
          "Failed to backup data for pod",
          () =>
            backupPath(
              ctx,
              profile,
              { namespace: args.namespace, pod, container: args.container },
              `${prefix}/${pod}`,
              args.includePath,
              args.encryptionKey ?? DEFAULT_ENCRYPTION_KEY,
              args.insecureTLS ?? false,
            ),
          { pod },
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
    if (failures.length > 0) throw joinedFailures(failures);
    return { BackupAllInfo: backupAllInfoJson(infos), version: DEFAULT_FUNCTION_VERSION };
  },
});

/**
 * One error for the failures of an `*All` function, as Kanister joins them: each pod's error (already
 * wrapped with what failed, e.g. `Failed to backup data for pod: …`; errkit keeps the pod in its
 * details, not the text), one line per pod, in the order the pods were given (Kanister: the order
 * they finished). The details list each pod with its error's code and details.
 */
export function joinedFailures(failures: { pod: string; error: unknown }[]): QuiesceError {
  const first = failures[0]?.error;
  const code = first instanceof QuiesceError ? first.code : ErrorCodes.HOOK_FAILED;
  return new QuiesceError(
    code,
    failures.map((f) => (f.error instanceof Error ? f.error.message : String(f.error))).join("\n"),
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
