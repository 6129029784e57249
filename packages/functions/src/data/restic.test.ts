import { describe, expect, it } from "vitest";
import type { Profile } from "../profile/types.js";
import type { SecretParams } from "../template-params.js";
import {
  DEFAULT_ENCRYPTION_KEY,
  isPasswordIncorrect,
  isRepositoryMissing,
  parseResticSize,
  randomTag,
  resticArgs,
  resticCommand,
  snapshotIdFromBackupLog,
  snapshotIdFromSnapshotLog,
  snapshotStatsFromBackupLog,
  snapshotStatsFromStatsLog,
  spaceFreedFromPruneLog,
} from "./restic.js";

const keyPair = (
  type: Profile["Location"]["Type"],
  endpoint = "",
  id = "id",
  secret = "secret",
): Profile => ({
  Location: { Type: type, Bucket: "bucket", Endpoint: endpoint, Prefix: "", Region: "" },
  Credential: { Type: "keyPair", KeyPair: { ID: id, Secret: secret }, Secret: null, KopiaServerSecret: null },
  SkipSSLVerify: false,
});

const secretOf = (type: string, data: Record<string, string>): SecretParams => ({
  Name: "creds",
  Namespace: "kanister",
  Type: type,
  Data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, new TextEncoder().encode(v)])),
  StringData: {},
  Labels: {},
  Annotations: {},
  ObjectMeta: { name: "creds", namespace: "kanister" },
});

const withSecret = (type: Profile["Location"]["Type"], secret: SecretParams): Profile => ({
  Location: { Type: type, Bucket: "bucket", Endpoint: "endpoint", Prefix: "", Region: "" },
  Credential: { Type: "secret", KeyPair: null, Secret: secret, KopiaServerSecret: null },
  SkipSSLVerify: false,
});

describe("restic environment (Kanister pkg/restic resticArgs)", () => {
  it("S3: key pair, the endpoint without trailing slashes, the repository under it, the password last", () => {
    for (const endpoint of ["endpoint", "endpoint/", "endpoint/////////"]) {
      const cmd = resticCommand(keyPair("s3Compliant", endpoint), "repo", "my-secret", ["snapshots"]);
      expect(cmd.stdin).toBe(
        "AWS_ACCESS_KEY_ID=id\nAWS_SECRET_ACCESS_KEY=secret\nRESTIC_REPOSITORY=s3:endpoint/repo\nRESTIC_PASSWORD=my-secret\n",
      );
    }
    expect(resticCommand(keyPair("s3Compliant"), "b/p", "k", []).stdin).toContain(
      "RESTIC_REPOSITORY=s3:s3.amazonaws.com/b/p\n",
    );
  });

  it("S3 from a secrets.kanister.io/aws Secret; a role to assume is refused with a coded error", () => {
    const profile = withSecret(
      "s3Compliant",
      secretOf("secrets.kanister.io/aws", { aws_access_key_id: "id", aws_secret_access_key: "secret" }),
    );
    expect(resticCommand(profile, "repo", "my-secret", []).stdin).toBe(
      "AWS_ACCESS_KEY_ID=id\nAWS_SECRET_ACCESS_KEY=secret\nRESTIC_REPOSITORY=s3:endpoint/repo\nRESTIC_PASSWORD=my-secret\n",
    );
    const role = withSecret(
      "s3Compliant",
      secretOf("secrets.kanister.io/aws", {
        aws_access_key_id: "id",
        aws_secret_access_key: "s",
        role: "arn:aws:iam::0:role/r",
      }),
    );
    expect(() => resticCommand(role, "repo", "k", [])).toThrow(
      expect.objectContaining({ code: "QUIESCE_PROFILE_INVALID" }),
    );
  });

  it("Azure: account and key (key pair before Secret), azure:<container>:/<path>/", () => {
    expect(resticCommand(keyPair("azure", "", "kpID", "kpSecret"), "repo", "my-secret", []).stdin).toBe(
      "AZURE_ACCOUNT_NAME=kpID\nAZURE_ACCOUNT_KEY=kpSecret\nRESTIC_REPOSITORY=azure:repo/\nRESTIC_PASSWORD=my-secret\n",
    );
    const secret = withSecret(
      "azure",
      secretOf("secrets.kanister.io/azure", { azure_storage_account_id: "id", azure_storage_key: "secret" }),
    );
    expect(resticCommand(secret, "container/path/to", "k", []).stdin).toBe(
      "AZURE_ACCOUNT_NAME=id\nAZURE_ACCOUNT_KEY=secret\nRESTIC_REPOSITORY=azure:container:/path/to/\nRESTIC_PASSWORD=k\n",
    );
  });

  it("GCS: project ID and the credentials file Kanister writes, gs:<bucket>:/<path>/", () => {
    expect(resticCommand(keyPair("gcs", "", "my-project", "{}"), "bucket/a/b", "k", []).stdin).toBe(
      "GOOGLE_PROJECT_ID=my-project\nGOOGLE_APPLICATION_CREDENTIALS=/tmp/creds.txt\nRESTIC_REPOSITORY=gs:bucket:/a/b/\nRESTIC_PASSWORD=k\n",
    );
  });

  it("puts no value into the argv: a fixed script reads the environment from stdin, then runs restic with the arguments", () => {
    const cmd = resticCommand(
      keyPair("s3Compliant", "https://127.0.0.1:9000", "AKID", "very-secret"),
      "b/r",
      "pw; rm -rf /",
      ["backup", "--tag", "t", "/var/log"],
    );
    expect(cmd.argv.slice(0, 2)).toEqual(["sh", "-c"]);
    expect(cmd.argv.slice(3)).toEqual(["restic", "backup", "--tag", "t", "/var/log"]);
    expect(cmd.argv.join(" ")).not.toContain("very-secret");
    expect(cmd.argv.join(" ")).not.toContain("pw; rm");
    expect(cmd.secrets).toEqual(expect.arrayContaining(["very-secret", "pw; rm -rf /"]));
    expect(cmd.secrets).not.toContain("AKID");
    expect(() => resticCommand(keyPair("s3Compliant"), "b", "line\nbreak", [])).toThrow(
      "must not contain a line break",
    );
  });

  it('uses Kanister\'s default key sha256("testpassword") and its tag alphabet', () => {
    expect(DEFAULT_ENCRYPTION_KEY).toBe("9f735e0df9a1ddc702bf0a1a7b83033f9f7153a00c29de82cedadc9957289b05");
    expect(randomTag()).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{10}$/);
  });
});

describe("restic arguments (Kanister pkg/restic *Command)", () => {
  it("builds each command as Kanister does, --insecure-tls last when asked", () => {
    expect(resticArgs.backup("tag1", "/data", false)).toEqual(["backup", "--tag", "tag1", "/data"]);
    expect(resticArgs.backup("tag1", "/data", true)).toEqual([
      "backup",
      "--tag",
      "tag1",
      "/data",
      "--insecure-tls",
    ]);
    expect(resticArgs.restoreById("abc123", "/", "", false)).toEqual(["restore", "abc123", "--target", "/"]);
    expect(resticArgs.restoreById("abc123", "/mnt", "/var/log", true)).toEqual([
      "restore",
      "abc123:/var/log",
      "--target",
      "/mnt",
      "--insecure-tls",
    ]);
    expect(resticArgs.restoreByTag("t", "/", "", false)).toEqual([
      "restore",
      "--tag",
      "t",
      "latest",
      "--target",
      "/",
    ]);
    expect(resticArgs.restoreByTag("t", "/", "/sub", false)).toEqual([
      "restore",
      "--tag",
      "t",
      "latest:/sub",
      "--target",
      "/",
    ]);
    expect(resticArgs.latestSnapshots(false)).toEqual(["snapshots", "--last", "--json"]);
    expect(resticArgs.snapshotsByTag("t", true)).toEqual([
      "snapshots",
      "--tag",
      "t",
      "--json",
      "--insecure-tls",
    ]);
    expect(resticArgs.init(false)).toEqual(["init"]);
    expect(resticArgs.forget("abc", false)).toEqual(["forget", "abc"]);
    expect(resticArgs.prune(true)).toEqual(["prune", "--insecure-tls"]);
    expect(resticArgs.stats("abc", "raw-data")).toEqual(["stats", "abc", "--mode", "raw-data"]);
  });
});

describe("parsing restic's output (Kanister pkg/restic)", () => {
  it("finds the snapshot ID of a backup", () => {
    expect(snapshotIdFromBackupLog("snapshot 1a2b3c4d saved")).toBe("1a2b3c4d");
    expect(snapshotIdFromBackupLog("Files: 1 new\nsnapshot 3122bcc6 saved\n")).toBe("3122bcc6");
    expect(snapshotIdFromBackupLog("snapshot 123abcd")).toBe("");
    expect(snapshotIdFromBackupLog("Invalid message")).toBe("");
    expect(snapshotIdFromBackupLog("snapshot abc123\n saved")).toBe("");
  });

  it("reads a backup's file count and sizes line by line", () => {
    const cases: Array<[string, string, string, string]> = [
      ["processed 9 files, 11.235 KiB in 0:00", "9", "11.235 KiB", ""],
      ["processed 9 files, 11 KiB in 0:00", "9", "11 KiB", ""],
      ["processed 9 files, 11. KiB in 0:00", "", "", ""],
      ["processed 9 files, .111 KiB in 0:00", "", "", ""],
      ["processed   9 files, 11.235 KiB in 0:00", "", "", ""],
      ["processed 9 files, 11.235 KiB in", "", "", ""],
      ["processed 9 files, 11.235 KiB in ", "9", "11.235 KiB", ""],
      ["processed 9 files, 11.235 PiB in 0:00", "", "", ""],
      ["processed 9 files, 11.235 B in 0:00", "9", "11.235 B", ""],
      [
        "processed 9 files, 11.235 KiB in 0:00\nasdfasdf\nAdded to the repo: 53.771 KiB\nasdf",
        "9",
        "11.235 KiB",
        "53.771 KiB",
      ],
      [
        "Added to the repo: 53.771 KiB\n\nprocessed 9 files, 11.235 KiB in 0:00",
        "9",
        "11.235 KiB",
        "53.771 KiB",
      ],
      ["Added to the repo: 0 Bogus\nprocessed 9 files, 11.235 KiB in 0:00", "9", "11.235 KiB", ""],
      ["AAdded to the repo: 0 B\nprocessed 9 files, 11.235 KiB in 0:00", "9", "11.235 KiB", ""],
      // restic releases say "Added to the repository:", which Kanister's pattern does not match.
      [
        "Added to the repository: 29.236 KiB (13.286 KiB stored)\n\nprocessed 10 files, 24.064 KiB in 0:00",
        "10",
        "24.064 KiB",
        "",
      ],
    ];
    for (const [log, fileCount, size, phySize] of cases) {
      expect(snapshotStatsFromBackupLog(log), log).toEqual({ fileCount, size, phySize });
    }
  });

  it("takes the short ID of the first snapshot of a listing, and fails on an empty one", () => {
    const one =
      '[{"time":"2019-03-28T17:35:15.146526-07:00","tags":["backup123"],"id":"7c0bfeb93dd5","short_id":"7c0bfeb9"}]';
    expect(snapshotIdFromSnapshotLog(one)).toBe("7c0bfeb9");
    expect(
      snapshotIdFromSnapshotLog(`[${one.slice(1, -1)},${one.slice(1, -1).replace("7c0bfeb9", "deadbeef")}]`),
    ).toBe("7c0bfeb9");
    expect(() => snapshotIdFromSnapshotLog("null")).toThrow("Snapshot not found");
    expect(() => snapshotIdFromSnapshotLog("[]")).toThrow("Snapshot not found");
    expect(() => snapshotIdFromSnapshotLog("Fatal: nope")).toThrow(
      expect.objectContaining({ code: "QUIESCE_OUTPUT_MALFORMED" }),
    );
  });

  it("reads restic stats in each mode", () => {
    expect(
      snapshotStatsFromStatsLog(
        "Stats in restore-size mode:\n  Snapshots processed:   1\n   Total File Count:   9\n         Total Size:   10.322 KiB\n",
      ),
    ).toEqual({
      mode: "restore-size",
      fileCount: "9",
      size: "10.322 KiB",
    });
    expect(
      snapshotStatsFromStatsLog(
        "Stats in raw-data mode:\n Total Blob Count:   4\n Total File Count:   9\n Total Size:   1 KiB",
      ),
    ).toEqual({
      mode: "raw-data",
      fileCount: "4",
      size: "1 KiB",
    });
    expect(snapshotStatsFromStatsLog("sudhufehfuijbfjbruifhoiwhf")).toEqual({
      mode: "",
      fileCount: "",
      size: "",
    });
  });

  it("reads the space a prune freed, and parses restic's sizes into bytes", () => {
    expect(spaceFreedFromPruneLog("will delete 1 packs and rewrite 1 packs, this frees 11.235 KiB")).toBe(
      "11.235 KiB",
    );
    expect(spaceFreedFromPruneLog("will delete 1 pack and rewrite 1 packs, this frees 11.235 KiB")).toBe("");
    expect(
      spaceFreedFromPruneLog("will delete 100 packs and rewrite 100 packs, this frees 11.235 KiB "),
    ).toBe("");
    expect(
      spaceFreedFromPruneLog(
        "Some unrelated log\nwill delete 100 packs and rewrite 100 packs, this frees 11.235 B\n",
      ),
    ).toBe("11.235 B");
    const sizes: Array<[string, number]> = [
      ["11235 B", 11235],
      ["11235 KB", 0],
      ["11235 TiB", 11235 * 2 ** 40],
      ["11235 KiB", 11235 * 1024],
      ["", 0],
      ["11235", 0],
      ["1.1 GiB", 1181116006],
      ["1.1235 GiB", 1206348939],
      [" 1.1235 GiB", 0],
      ["1.1235  GiB", 0],
      ["1.1235 GiB ", 0],
      ["-1.1235 GiB", 0],
      ["GiB 1.1235", 0],
    ];
    for (const [text, bytes] of sizes) expect(parseResticSize(text), text).toBe(bytes);
  });

  it("recognises a wrong password and a missing repository from restic's stderr", () => {
    const missing =
      "Fatal: unable to open config file: Stat: The specified key does not exist.\nIs there a repository at the following location?\ns3:s3.amazonaws.com/abhdbhf/foodbar";
    expect(isPasswordIncorrect("Fatal: wrong password or no key found")).toBe(true);
    expect(isPasswordIncorrect(missing)).toBe(false);
    expect(isRepositoryMissing(missing)).toBe(true);
    expect(isRepositoryMissing("Fatal: wrong password or no key found")).toBe(false);
  });
});
