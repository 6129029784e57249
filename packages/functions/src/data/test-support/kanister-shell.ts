/**
 * The restic command lines exactly as Kanister builds them (pkg/restic/restic.go: resticArgs,
 * resticS3Args, shCommand and the *Command functions): `export NAME=value\n` words and the restic
 * arguments joined with spaces into one `bash -o errexit -o pipefail -c` string — to prove that
 * repositories written by Kanister and by quiesce are the same thing.
 */

/** What Kanister's resticS3Args reads from a keyPair Profile. */
export interface KanisterS3 {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
}

function command(s3: KanisterS3, repository: string, encryptionKey: string, args: string[]): string[] {
  const endpoint = (s3.endpoint || "s3.amazonaws.com").replace(/\/+$/, "");
  const cmd = [
    `export AWS_ACCESS_KEY_ID=${s3.accessKeyId}\n`,
    `export AWS_SECRET_ACCESS_KEY=${s3.secretAccessKey}\n`,
    `export RESTIC_REPOSITORY=s3:${endpoint}/${repository}\n`,
    `export RESTIC_PASSWORD=${encryptionKey}\n`,
    "restic",
    ...args,
  ];
  return ["bash", "-o", "errexit", "-o", "pipefail", "-c", cmd.join(" ")];
}

/** Kanister's command builders, for an S3 keyPair Profile. */
export const kanisterShell = {
  init: (s3: KanisterS3, repo: string, key: string) => command(s3, repo, key, ["init"]),
  backupByTag: (s3: KanisterS3, repo: string, tag: string, includePath: string, key: string) =>
    command(s3, repo, key, ["backup", "--tag", tag, includePath]),
  restoreById: (s3: KanisterS3, repo: string, id: string, restorePath: string, key: string) =>
    command(s3, repo, key, ["restore", id, "--target", restorePath]),
  snapshotsByTag: (s3: KanisterS3, repo: string, tag: string, key: string) =>
    command(s3, repo, key, ["snapshots", "--tag", tag, "--json"]),
};
