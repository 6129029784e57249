/** restic run on the host against a repository in a store started by {@link startObjectStore}. */
import { execFile } from "node:child_process";
import type { ObjectStoreServer } from "./object-store.js";

/** What a restic run printed and how it ended. */
export interface ResticRun {
  /** Exit code (1 when restic could not be started). */
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `restic <args>` on the host against `s3:<endpoint>/<repository>` (`repository` is
 * `bucket/path`) with the store's credentials, trusting its CA, with `password` as
 * `RESTIC_PASSWORD`. Never rejects: a failed run resolves with its code and output.
 *
 * @example
 * ```ts
 * const { stdout } = await runResticOnHost(store, "backups/app", ["snapshots", "--json"], key);
 * ```
 */
export function runResticOnHost(
  store: Pick<ObjectStoreServer, "endpoint" | "accessKeyId" | "secretAccessKey" | "caFile">,
  repository: string,
  args: readonly string[],
  password: string,
): Promise<ResticRun> {
  return new Promise((resolve) => {
    execFile(
      "restic",
      [...args],
      {
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "/tmp",
          AWS_ACCESS_KEY_ID: store.accessKeyId,
          AWS_SECRET_ACCESS_KEY: store.secretAccessKey,
          RESTIC_REPOSITORY: `s3:${store.endpoint}/${repository}`,
          RESTIC_PASSWORD: password,
          SSL_CERT_FILE: store.caFile,
        },
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const code = err ? (err as { code?: unknown }).code : 0;
        resolve({ code: typeof code === "number" ? code : 1, stdout, stderr });
      },
    );
  });
}
