/**
 * restic as Kanister drives it (pkg/restic/restic.go): the repository URL and environment for a
 * Profile's location, the arguments of each command, and the parsing of what restic prints.
 *
 * Kanister glues `export NAME=value` lines and the restic command into one `bash -c` string.
 * quiesce runs the same restic command with the same environment, but as an argv behind a fixed
 * `sh -c` script that reads the environment from stdin: values (credentials, the encryption key,
 * paths) never pass through a shell line or the exec request's URL. Values are used verbatim — in
 * Kanister the shell would split a value at spaces and expand `$…` in it.
 */
import { createHash } from "node:crypto";
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { azureCredentials, gcsCredentials, s3Credentials } from "../profile/credentials.js";
import { LocationTypes, type Profile } from "../profile/types.js";

/**
 * The encryption key Kanister uses when a function gets none: sha256("testpassword") in hex
 * (pkg/restic/utils.go GeneratePassword). Repositories written without `encryptionKey` use it.
 */
export const DEFAULT_ENCRYPTION_KEY = createHash("sha256").update("testpassword").digest("hex");

/** Where Kanister writes a GCS service key in the container (pkg/consts GoogleCloudCredsFilePath). */
export const GOOGLE_CLOUD_CREDS_FILE = "/tmp/creds.txt";

const AWS_S3_ENDPOINT = "s3.amazonaws.com";

// Reads NAME=value lines from stdin into the environment, then runs restic with the arguments.
const RESTIC_SCRIPT =
  'while IFS= read -r kv; do case "$kv" in *=*) export "$kv" ;; esac; done; exec restic "$@"';

/** A restic invocation: the argv to exec and the environment lines to send on its stdin. */
export interface ResticCommand {
  /** `sh -c <fixed script> restic <args…>`. */
  argv: string[];
  /** `NAME=value` lines (credentials, repository, password). */
  stdin: string;
  /** The restic arguments alone (for messages). */
  args: string[];
  /** Values to keep out of errors and events. */
  secrets: string[];
}

/**
 * The environment of a restic command (Kanister resticArgs): credentials for the location type,
 * `RESTIC_REPOSITORY` and `RESTIC_PASSWORD`. `repository` is the artifact prefix (`bucket/path`).
 * S3: `s3:<endpoint, default s3.amazonaws.com, trailing "/" removed>/<repository>`; GCS:
 * `gs:<bucket>:/<path>/`; Azure: `azure:<container>:/<path>/`.
 */
export function resticEnvironment(
  profile: Profile,
  repository: string,
  encryptionKey: string,
): Array<[string, string]> {
  const env: Array<[string, string]> = [];
  switch (profile.Location.Type) {
    case LocationTypes.S3_COMPLIANT: {
      const endpoint = (profile.Location.Endpoint || AWS_S3_ENDPOINT).replace(/\/+$/, "");
      const creds = s3Credentials(profile);
      env.push(["AWS_ACCESS_KEY_ID", creds.accessKeyId], ["AWS_SECRET_ACCESS_KEY", creds.secretAccessKey]);
      if (creds.sessionToken) env.push(["AWS_SESSION_TOKEN", creds.sessionToken]);
      env.push(["RESTIC_REPOSITORY", `s3:${endpoint}/${repository}`]);
      break;
    }
    case LocationTypes.GCS: {
      const creds = gcsCredentials(profile);
      env.push(
        ["GOOGLE_PROJECT_ID", creds.projectId],
        ["GOOGLE_APPLICATION_CREDENTIALS", GOOGLE_CLOUD_CREDS_FILE],
        ["RESTIC_REPOSITORY", `gs:${repository.replace("/", ":/")}/`],
      );
      break;
    }
    case LocationTypes.AZURE: {
      const creds = azureCredentials(profile);
      env.push(
        ["AZURE_ACCOUNT_NAME", creds.storageAccount],
        ["AZURE_ACCOUNT_KEY", creds.storageKey],
        ["RESTIC_REPOSITORY", `azure:${repository.replace("/", ":/")}/`],
      );
      break;
    }
    default:
      throw new QuiesceError(
        ErrorCodes.PROFILE_INVALID,
        // Kanister resticArgs' words (its restic functions know s3Compliant, gcs and azure).
        `Unsupported type '${profile.Location.Type}' for the location`,
        { details: { field: "location.type" } },
      );
  }
  env.push(["RESTIC_PASSWORD", encryptionKey]);
  return env;
}

/** Builds the invocation of `restic <args>` against `repository` with the Profile's credentials. */
export function resticCommand(
  profile: Profile,
  repository: string,
  encryptionKey: string,
  args: string[],
): ResticCommand {
  const env = resticEnvironment(profile, repository, encryptionKey);
  for (const [name, value] of env) {
    if (/[\n\r]/.test(value)) {
      throw new QuiesceError(ErrorCodes.VALIDATION, `${name} for restic must not contain a line break`, {
        details: { variable: name },
      });
    }
  }
  const secrets = env
    .filter(([name]) => /KEY|PASSWORD|TOKEN|SECRET/.test(name) && !name.endsWith("_ID"))
    .map(([, value]) => value);
  return {
    argv: ["sh", "-c", RESTIC_SCRIPT, "restic", ...args],
    stdin: env.map(([name, value]) => `${name}=${value}\n`).join(""),
    args,
    secrets,
  };
}

const insecure = (insecureTLS: boolean) => (insecureTLS ? ["--insecure-tls"] : []);

/** The arguments of each restic command Kanister runs (pkg/restic/restic.go *Command). */
export const resticArgs = {
  /** BackupCommandByTag. */
  backup: (tag: string, includePath: string, insecureTLS: boolean) => [
    "backup",
    "--tag",
    tag,
    includePath,
    ...insecure(insecureTLS),
  ],
  /** RestoreCommandByID: `<id>[:<backupPath>]`. */
  restoreById: (id: string, restorePath: string, backupPath: string, insecureTLS: boolean) => [
    "restore",
    backupPath ? `${id}:${backupPath}` : id,
    "--target",
    restorePath,
    ...insecure(insecureTLS),
  ],
  /** RestoreCommandByTag: `latest[:<backupPath>]` of the tag. */
  restoreByTag: (tag: string, restorePath: string, backupPath: string, insecureTLS: boolean) => [
    "restore",
    "--tag",
    tag,
    backupPath ? `latest:${backupPath}` : "latest",
    "--target",
    restorePath,
    ...insecure(insecureTLS),
  ],
  /** LatestSnapshotsCommand (how Kanister checks that a repository exists). */
  latestSnapshots: (insecureTLS: boolean) => ["snapshots", "--last", "--json", ...insecure(insecureTLS)],
  /** SnapshotsCommandByTag. */
  snapshotsByTag: (tag: string, insecureTLS: boolean) => [
    "snapshots",
    "--tag",
    tag,
    "--json",
    ...insecure(insecureTLS),
  ],
  /** InitCommand. */
  init: (insecureTLS: boolean) => ["init", ...insecure(insecureTLS)],
  /** ForgetCommandByID. */
  forget: (id: string, insecureTLS: boolean) => ["forget", id, ...insecure(insecureTLS)],
  /** PruneCommand. */
  prune: (insecureTLS: boolean) => ["prune", ...insecure(insecureTLS)],
  /** StatsCommandByID (Kanister passes no --insecure-tls here). */
  stats: (id: string, mode: string) => ["stats", id, "--mode", mode],
};

const lines = (output: string) => output.split("\n");

/** The snapshot ID from a backup's output: the first line `snapshot <id> saved` (SnapshotIDFromBackupLog). */
export function snapshotIdFromBackupLog(output: string): string {
  for (const line of lines(output)) {
    const m = /snapshot\s(.*?)\ssaved$/.exec(line);
    if (m) return m[1] ?? "";
  }
  return "";
}

/**
 * File count, logical and physical size from a backup's output (SnapshotStatsFromBackupLog):
 * `processed N files, X in` and `Added to the repo: Y` (the latter is Kanister's restic build's
 * wording; restic releases print `Added to the repository:`, so `phySize` stays empty with them).
 */
export function snapshotStatsFromBackupLog(output: string): {
  fileCount: string;
  size: string;
  phySize: string;
} {
  const out = { fileCount: "", size: "", phySize: "" };
  if (output === "") return out;
  for (const line of lines(output)) {
    const logical = /processed\s(\d+)\sfiles,\s(\d+(\.\d+)?\s([TGMK]i)?B)\sin\s/.exec(line);
    if (logical) {
      out.fileCount = logical[1] ?? "";
      out.size = logical[2] ?? "";
      continue;
    }
    const physical = /^Added to the repo: (\d+(\.\d+)?\s([TGMK]i)?B)$/.exec(line);
    if (physical) out.phySize = physical[1] ?? "";
  }
  return out;
}

/** The `short_id` of the first snapshot in `restic snapshots --json` output (SnapshotIDFromSnapshotLog). */
export function snapshotIdFromSnapshotLog(output: string): string {
  let result: unknown;
  try {
    result = JSON.parse(output);
  } catch (cause) {
    throw new QuiesceError(ErrorCodes.OUTPUT_MALFORMED, "Failed to unmarshall output from snapshotCommand", {
      cause,
      details: { output: output.slice(0, 500) },
    });
  }
  if (!Array.isArray(result) || result.length === 0) {
    throw new QuiesceError(ErrorCodes.OUTPUT_MALFORMED, "Snapshot not found");
  }
  const id = (result[0] as { short_id?: unknown } | null)?.short_id;
  if (typeof id !== "string") throw new QuiesceError(ErrorCodes.OUTPUT_MALFORMED, "Snapshot has no short_id");
  return id;
}

/** Mode, file (or blob) count and total size from `restic stats` output (SnapshotStatsFromStatsLog). */
export function snapshotStatsFromStatsLog(output: string): { mode: string; fileCount: string; size: string } {
  const modeLine = lines(output)
    .map((l) => /Stats in\s+(.*?)\s+mode:/.exec(l)?.[1])
    .find((m) => m !== undefined);
  const mode = modeLine ?? "";
  if (output === "") return { mode: "", fileCount: "", size: "" };
  const countPattern = mode === "raw-data" ? /Total Blob Count:\s+(.*?)$/ : /Total File Count:\s+(.*?)$/;
  let fileCount = "";
  let size = "";
  for (const line of lines(output)) {
    const count = countPattern.exec(line);
    if (count) fileCount = count[1] ?? "";
    const total = /Total Size: \s+(.*?)$/.exec(line);
    if (total) size = total[1] ?? "";
  }
  return { mode, fileCount, size };
}

/** The space a prune freed, from its output (SpaceFreedFromPruneLog); "" when not reported. */
export function spaceFreedFromPruneLog(output: string): string {
  let freed = "";
  for (const line of lines(output)) {
    const m = /^will delete \d+ packs and rewrite \d+ packs, this frees (\d+(\.\d+)?\s([TGMK]i)?B)$/.exec(
      line,
    );
    if (m) freed = m[1] ?? "";
  }
  return freed;
}

const MAGNITUDE: Record<string, number> = { TiB: 2 ** 40, GiB: 2 ** 30, MiB: 2 ** 20, KiB: 2 ** 10, B: 1 };

/** Bytes in a size restic printed (`"1.5 KiB"` → 1536); 0 for anything else (ParseResticSizeStringBytes). */
export function parseResticSize(size: string): number {
  const parts = size.split(/\s/);
  if (parts.length !== 2) return 0;
  const [num = "", unit = ""] = parts;
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(num)) return 0;
  const n = Number(num);
  if (n < 0) return 0;
  const factor = MAGNITUDE[unit];
  return factor === undefined ? 0 : Math.trunc(n * factor);
}

/** True when restic said the password was wrong (IsPasswordIncorrect). */
export function isPasswordIncorrect(stderr: string): boolean {
  return stderr.includes("wrong password");
}

/** True when restic found no repository at the location (DoesRepoExist). */
export function isRepositoryMissing(stderr: string): boolean {
  return stderr.includes("Is there a repository at the following location?");
}

const TAG_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** A backup tag as Kanister makes one: 10 characters of k8s.io/apimachinery's rand.String alphabet. */
export function randomTag(random: () => number = Math.random): string {
  let tag = "";
  for (let i = 0; i < 10; i++) tag += TAG_ALPHABET[Math.floor(random() * TAG_ALPHABET.length)];
  return tag;
}
