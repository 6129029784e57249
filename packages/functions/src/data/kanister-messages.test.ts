/**
 * The data functions fail with Kanister's words (pkg/function/*.go, pkg/restic/restic.go,
 * pkg/kube/exec.go, kanisterio/errkit Wrap → "<message>: <cause>"). restic is played by the local
 * cluster's scripted containers, so each failure is exact and needs no object store.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Profile } from "../profile/types.js";
import { runBlueprintAction } from "../runner/run-action.js";
import { blueprintOf, startEnv, statefulSet, type TestEnv, waitReady } from "../test-support/local.js";
import { DataErrorCodes } from "./errors.js";

const NS = "app";
const IMAGE = "ghcr.io/kanisterio/kanister-tools:0.119.0";

const profile: Profile = {
  Location: {
    Type: "s3Compliant",
    Bucket: "bucket",
    Endpoint: "https://127.0.0.1:9",
    Prefix: "",
    Region: "",
  },
  Credential: {
    Type: "keyPair",
    KeyPair: { ID: "id", Secret: "secret" },
    Secret: null,
    KopiaServerSecret: null,
  },
  SkipSSLVerify: false,
};

// pkg/kube/exec.go: ExecError's text behind "Failed to exec command in pod".
const execFailed = (code: number, stdout: string, stderr: string) =>
  `Failed to exec command in pod: command terminated with exit code ${code}.\nstdout: ${stdout}\nstderr: ${stderr}`;

let env: TestEnv;
let pods: string[];

beforeAll(async () => {
  env = await startEnv([NS]);
  await env.lc.apply(statefulSet(NS, "db", 2));
  pods = await waitReady(env.lc, "statefulsets", NS, "db", 2);
});
afterAll(() => env.lc.stop());

/** Answers `restic <sub> …` (our argv: sh -c <script> restic <args…>) with `reply`. */
function restic(sub: string, reply: { stdout?: string; stderr?: string; exitCode?: number }) {
  return env.lc.runtime.onExec({ command: (argv) => argv[3] === "restic" && argv[4] === sub }, () => reply);
}

/** Runs `phases` as one action on the StatefulSet db with the Profile. */
const run = (phases: unknown[]) =>
  runBlueprintAction(blueprintOf(phases), "run", {
    cluster: env.lc.cluster,
    registry: env.registry,
    subject: { kind: "StatefulSet", namespace: NS, name: "db" },
    profile,
  });

async function failure(
  phase: Record<string, unknown>,
  options: {
    profile?: Profile | null;
    subject?: { kind: string; name: string; namespace?: string };
    podReadyTimeout?: string;
  } = {},
) {
  const result = await runBlueprintAction(blueprintOf([{ name: "p", ...phase }]), "run", {
    cluster: env.lc.cluster,
    registry: env.registry,
    subject: options.subject ?? { kind: "StatefulSet", namespace: NS, name: "db" },
    ...(options.profile === null ? {} : { profile: options.profile ?? profile }),
    podReadyTimeout: options.podReadyTimeout ?? "10s",
  });
  expect(result.status).toBe("failed");
  const error = result.phases[0]?.error;
  return { message: error?.message ?? "", code: error?.code, details: error?.details ?? {} };
}

const restoreData = (args: Record<string, unknown>) => ({
  func: "RestoreData",
  args: { namespace: NS, image: IMAGE, backupArtifactPrefix: "b", ...args },
});

const backupData = (extra: Record<string, unknown> = {}) => ({
  func: "BackupData",
  args: {
    namespace: NS,
    pod: "db-0",
    container: "sidecar",
    includePath: "/var/lib/db",
    backupArtifactPrefix: "bucket/db",
    ...extra,
  },
});

describe("Profile problems (pkg/function/utils.go ValidateProfile)", () => {
  // Which functions wrap ValidateProfile's error with "Failed to validate Profile" and which return it as is.
  const calls: Array<[string, Record<string, unknown>, boolean]> = [
    ["BackupData", backupData().args, true],
    [
      "BackupDataAll",
      { namespace: NS, container: "sidecar", includePath: "/d", backupArtifactPrefix: "b" },
      true,
    ],
    ["BackupDataStats", { namespace: NS, backupArtifactPrefix: "b", backupID: "abc" }, true],
    ["CopyVolumeData", { namespace: NS, volume: "data-db-0", dataArtifactPrefix: "b" }, true],
    ["LocationDelete", { artifact: "bucket/b" }, true],
    [
      "RestoreData",
      { namespace: NS, image: IMAGE, backupArtifactPrefix: "b", pod: "db-0", backupIdentifier: "abc" },
      false,
    ],
    ["RestoreDataAll", { namespace: NS, image: IMAGE, backupArtifactPrefix: "b", backupInfo: "{}" }, false],
    ["DeleteData", { namespace: NS, backupArtifactPrefix: "b", backupID: "abc" }, false],
    ["DeleteDataAll", { namespace: NS, backupArtifactPrefix: "b", backupInfo: "{}" }, false],
    ["CheckRepository", { backupArtifactPrefix: "b" }, false],
  ];

  it.each(calls)("%s without a Profile", async (func, args, wraps) => {
    const { message, code } = await failure({ func, args }, { profile: null });
    expect(code).toBe("QUIESCE_PROFILE_INVALID");
    expect(message).toBe(`${wraps ? "Failed to validate Profile: " : ""}Profile must be non-nil`);
  });

  it("names the problem as Kanister does, the field in the details", async () => {
    const cases: Array<[Profile, string, string]> = [
      [
        { ...profile, Credential: { ...profile.Credential, KeyPair: { ID: "", Secret: "s" } } },
        "Access key ID is not set",
        "credential.keyPair.idField",
      ],
      [
        { ...profile, Credential: { ...profile.Credential, KeyPair: { ID: "i", Secret: "" } } },
        "Secret access key is not set",
        "credential.keyPair.secretField",
      ],
      [
        { ...profile, Location: { ...profile.Location, Type: "nfs" as never } },
        "Location type not supported",
        "location.type",
      ],
      [
        { ...profile, Credential: { ...profile.Credential, Type: "token" as never } },
        "Unsupported type 'token' for credentials",
        "credential.type",
      ],
    ];
    for (const [bad, text, field] of cases) {
      const wrapped = await failure(backupData(), { profile: bad });
      expect([wrapped.message, wrapped.details.field]).toEqual([
        `Failed to validate Profile: ${text}`,
        field,
      ]);
      const bare = await failure(
        { func: "CheckRepository", args: { backupArtifactPrefix: "b" } },
        { profile: bad },
      );
      expect(bare.message).toBe(text);
    }
  });
});

describe("restic failures (pkg/restic/restic.go, pkg/function/*.go)", () => {
  it("a location restic cannot reach (kopia passes ValidateProfile, not resticArgs)", async () => {
    const kopia: Profile = { ...profile, Location: { ...profile.Location, Type: "kopia" } };
    const unsupported = "Unsupported type 'kopia' for the location";
    expect((await failure(backupData(), { profile: kopia })).message).toBe(
      `Failed to backup data: Failed to create init command: ${unsupported}`,
    );
    const check = await failure(
      { func: "CheckRepository", args: { backupArtifactPrefix: "b" } },
      { profile: kopia },
    );
    expect(check.message).toBe(`Failed to list snapshots: Failed to create snapshot command: ${unsupported}`);
    const restore = await failure(restoreData({ pod: "db-0", backupIdentifier: "abc" }), { profile: kopia });
    expect(restore.message).toBe(unsupported);
  });

  it("BackupData: the repository cannot be created, or the backup fails", async () => {
    const missing =
      "Fatal: unable to open config file: Stat: 404\nIs there a repository at the following location?\n";
    const undoList = restic("snapshots", { stderr: missing, exitCode: 1 });
    const undoInit = restic("init", { stderr: "Fatal: create repository failed: 403\n", exitCode: 1 });
    try {
      const { message, code } = await failure(backupData());
      expect(message).toBe(
        `Failed to backup data: Failed to create object store backup location: ${execFailed(1, "", "Fatal: create repository failed: 403")}`,
      );
      expect(code).toBe(DataErrorCodes.RESTIC_REPOSITORY_UNAVAILABLE);
    } finally {
      undoInit();
      undoList();
    }
    const undoOk = restic("snapshots", { stdout: "[]\n" });
    const undoBackup = restic("backup", {
      stdout: "scan\n",
      stderr: "Fatal: wrong password or no key found\n",
      exitCode: 1,
    });
    try {
      const { message, code } = await failure(backupData());
      expect(message).toBe(
        `Failed to backup data: Failed to create and upload backup: ${execFailed(1, "scan", "Fatal: wrong password or no key found")}`,
      );
      expect(code).toBe(DataErrorCodes.RESTIC_PASSWORD_INCORRECT);
    } finally {
      undoBackup();
      undoOk();
    }
  });

  it("BackupData: a container the pod does not have — the listing fails, so does the init", async () => {
    const { message } = await failure(backupData({ container: "nope" }));
    expect(message).toBe(
      "Failed to backup data: Failed to create object store backup location: Failed to exec command in pod: container nope is not valid for pod db-0.\nstdout: \nstderr: ",
    );
  });

  it("BackupData: output that names no snapshot", async () => {
    const undoOk = restic("snapshots", { stdout: "[]\n" });
    const undoBackup = restic("backup", { stdout: "processed 1 files\n" });
    try {
      const { message } = await failure(backupData());
      expect(message).toBe(
        "Failed to backup data: Failed to parse the backup ID from logs, backup logs processed 1 files\n",
      );
    } finally {
      undoBackup();
      undoOk();
    }
  });

  it("BackupDataAll: one line per pod, the pod in the details only", async () => {
    const undoOk = restic("snapshots", { stdout: "[]\n" });
    const undoBackup = restic("backup", { stderr: "Fatal: boom\n", exitCode: 3 });
    try {
      const { message, details } = await failure({
        func: "BackupDataAll",
        args: { namespace: NS, container: "sidecar", includePath: "/d", backupArtifactPrefix: "b" },
      });
      const line = `Failed to backup data for pod: Failed to create and upload backup: ${execFailed(3, "", "Fatal: boom")}`;
      expect(message).toBe(`${line}\n${line}`);
      expect((details.failures as Array<{ pod: string }>).map((f) => f.pod)).toEqual(pods);
    } finally {
      undoBackup();
      undoOk();
    }
  });

  it("RestoreData and RestoreDataAll: the restore fails", async () => {
    const undo = restic("restore", { stdout: "restoring\n", stderr: "Fatal: no snapshot\n", exitCode: 1 });
    try {
      const one = await failure(restoreData({ pod: "db-0", backupIdentifier: "abc" }));
      const restoreFailed = `Failed to restore backup: ${execFailed(1, "restoring", "Fatal: no snapshot")}`;
      expect(one.message).toBe(restoreFailed);
      const all = await failure({
        func: "RestoreDataAll",
        args: {
          namespace: NS,
          image: IMAGE,
          backupArtifactPrefix: "b",
          pods: "db-1",
          backupInfo: '{"db-1":{"PodName":"db-1","BackupID":"abc","BackupTag":"t"}}',
        },
      });
      expect(all.message).toBe(`Failed to restore data for pod: ${restoreFailed}`);
    } finally {
      undo();
    }
  });

  it("DeleteData: the tag's snapshot, forget and prune fail with their own words", async () => {
    const byTag = { func: "DeleteData", args: { namespace: NS, backupArtifactPrefix: "b", backupTag: "t1" } };
    const noId = "Failed to forget data, could not get snapshotID from tag";
    let undo = restic("snapshots", { stderr: "Fatal: listing\n", exitCode: 1 });
    try {
      const { message, details } = await failure(byTag);
      expect([message, details.tag]).toEqual([`${noId}: ${execFailed(1, "", "Fatal: listing")}`, "t1"]);
    } finally {
      undo();
    }
    undo = restic("snapshots", { stdout: "[]\n" });
    try {
      expect((await failure(byTag)).message).toBe(`${noId}: Snapshot not found`);
    } finally {
      undo();
    }
    undo = restic("forget", { stderr: "Fatal: locked\n", exitCode: 1 });
    const byId = {
      func: "DeleteData",
      args: { namespace: NS, backupArtifactPrefix: "b", backupID: "abc", reclaimSpace: true },
    };
    try {
      expect((await failure(byId)).message).toBe(
        `Failed to forget data: ${execFailed(1, "", "Fatal: locked")}`,
      );
    } finally {
      undo();
    }
    const undoForget = restic("forget", {});
    undo = restic("prune", { stderr: "Fatal: prune\n", exitCode: 1 });
    try {
      expect((await failure(byId)).message).toBe(
        `Error executing prune command: Failed to prune data after forget: ${execFailed(1, "", "Fatal: prune")}`,
      );
    } finally {
      undo();
      undoForget();
    }
  });

  it("BackupDataStats and CheckRepository", async () => {
    let undo = restic("stats", { stderr: "Fatal: no such snapshot\n", exitCode: 1 });
    const stats = {
      func: "BackupDataStats",
      args: { namespace: NS, backupArtifactPrefix: "b", backupID: "abc" },
    };
    try {
      expect((await failure(stats)).message).toBe(
        `Failed to get backup stats: ${execFailed(1, "", "Fatal: no such snapshot")}`,
      );
    } finally {
      undo();
    }
    undo = restic("stats", { stdout: "scanning...\n" });
    try {
      expect((await failure(stats)).message).toBe("Failed to parse snapshot stats from logs");
    } finally {
      undo();
    }
    undo = restic("snapshots", { stderr: "Fatal: 500 Internal Server Error\n", exitCode: 1 });
    try {
      const { message } = await failure({ func: "CheckRepository", args: { backupArtifactPrefix: "b" } });
      expect(message).toBe(
        `Failed to list snapshots: ${execFailed(1, "", "Fatal: 500 Internal Server Error")}`,
      );
    } finally {
      undo();
    }
  });
});

describe("the one-off pod (pkg/kube/pod_runner.go, pod_controller.go)", () => {
  it("a pod that cannot become ready: Kanister's wrap around the wait, and the pod is deleted", async () => {
    const { message } = await failure(
      {
        func: "RestoreData",
        args: {
          namespace: NS,
          image: "example/tools:does-not-exist",
          backupArtifactPrefix: "b",
          pod: "db-0",
          backupIdentifier: "abc",
        },
      },
      { podReadyTimeout: "1s" },
    );
    expect(message).toMatch(
      /^Failed while waiting for Pod to be ready: Pod failed to become ready in time: pod app\/restore-data-\S+ did not start within 1s/,
    );
    const left = await env.lc.cluster.list({ version: "v1", resource: "pods", namespace: NS });
    expect(left.items.map((p) => p.metadata?.name).filter((n) => n?.startsWith("restore-data-"))).toEqual([]);
  });
});

describe("arguments and the subject (pkg/function/restore_data.go, utils.go, *_all.go)", () => {
  it("RestoreData: exactly one of pod and volumes, of backupTag and backupIdentifier", async () => {
    expect((await failure(restoreData({ backupTag: "t" }))).message).toBe(
      "Require one argument: pod or volumes",
    );
    expect(
      (await failure(restoreData({ pod: "db-0", volumes: { "data-db-0": "/d" }, backupTag: "t" }))).message,
    ).toBe("Require one argument: pod or volumes");
    expect((await failure(restoreData({ pod: "db-0" }))).message).toBe(
      "Require one argument: backupTag or backupIdentifier",
    );
    expect((await failure(restoreData({ pod: "db-0", backupTag: "t", backupIdentifier: "i" }))).message).toBe(
      "Require one argument: backupTag or backupIdentifier",
    );
  });

  it("RestoreData: volumes of a pod the subject does not have, of a subject that is no workload, a missing PVC", async () => {
    expect((await failure(restoreData({ pod: "web-0", backupTag: "t" }))).message).toBe(
      "Failed to find volumes for the Pod: web-0",
    );
    const ns = { kind: "Namespace", name: NS, namespace: NS };
    expect((await failure(restoreData({ pod: "db-0", backupTag: "t" }), { subject: ns })).message).toBe(
      "Invalid Template Params",
    );
    const { message, details } = await failure(restoreData({ volumes: { nope: "/d" }, backupTag: "t" }));
    expect(message).toMatch(/^Failed to retrieve PVC\.: /);
    expect([details.namespace, details.name]).toEqual([NS, "nope"]);
  });

  it("the *All functions without pods and without a workload", async () => {
    const ns = { kind: "Namespace", name: NS, namespace: NS };
    const backupAll = {
      func: "BackupDataAll",
      args: { namespace: NS, container: "c", includePath: "/d", backupArtifactPrefix: "b" },
    };
    expect((await failure(backupAll, { subject: ns })).message).toBe("Failed to get pods");
    const restoreAll = {
      func: "RestoreDataAll",
      args: { namespace: NS, image: IMAGE, backupArtifactPrefix: "b", backupInfo: "{}" },
    };
    expect((await failure(restoreAll, { subject: ns })).message).toBe("Unsupported workload type");
  });

  it("backupInfo is decoded as Go decodes it into map[string]BackupInfo", async () => {
    const decode = async (backupInfo: string) =>
      (
        await failure({
          func: "DeleteDataAll",
          args: { namespace: NS, backupArtifactPrefix: "b", backupInfo },
        })
      ).message;
    expect(await decode("[]")).toBe(
      "Could not decode JSON data: json: cannot unmarshal array into Go value of type map[string]function.BackupInfo",
    );
    expect(await decode('{"db-0":"abc"}')).toBe(
      "Could not decode JSON data: json: cannot unmarshal string into Go value of type function.BackupInfo",
    );
    expect(await decode('{"db-0":{"BackupID":5}}')).toBe(
      "Could not decode JSON data: json: cannot unmarshal number into Go struct field BackupInfo.BackupID of type string",
    );
    expect(await decode("{")).toMatch(/^Could not decode JSON data: /);
    // Nothing to delete: Kanister's deleteData check.
    expect(await decode("{}")).toBe("Require one argument: backupID or backupTag");
  });
});

describe("outputs (pkg/function/restore_data.go, kube_exec.go parseLogAndCreateOutput)", () => {
  it("RestoreData leaves a nil Output when restic printed no output line, RestoreDataAll an empty map", async () => {
    const undo = restic("restore", { stdout: "restoring <Snapshot abc> to /\n" });
    const seen: string[] = [];
    const undoEcho = env.lc.runtime.onExec({ command: /^echo / }, (ctx) => {
      seen.push(ctx.argv.slice(1).join(" "));
      return {};
    });
    try {
      const echo = (phase: string) => ({
        func: "KubeExec",
        name: `echo-${phase}`,
        args: {
          namespace: NS,
          pod: "db-0",
          container: "db",
          command: ["echo", `{{ toJson .Phases.${phase}.Output }}`],
        },
      });
      const result = await run([
        {
          func: "RestoreData",
          name: "one",
          args: {
            namespace: NS,
            image: IMAGE,
            backupArtifactPrefix: "b",
            pod: "db-0",
            backupIdentifier: "abc",
          },
        },
        {
          func: "RestoreDataAll",
          name: "all",
          args: { namespace: NS, image: IMAGE, backupArtifactPrefix: "b", pods: "db-1", backupInfo: "{}" },
        },
        echo("one"),
        echo("all"),
      ]);
      expect(result.status).toBe("succeeded");
      expect(seen).toEqual(["null", "{}"]);
    } finally {
      undoEcho();
      undo();
    }
  });
});

describe("null arguments (pkg/function/args.go OptArg: a present null decodes nothing)", () => {
  it("null maps and booleans count as absent, a null string is empty — the encryption key too", async () => {
    const seen: Array<{ args: string[]; env: string }> = [];
    const undo = env.lc.runtime.onExec(
      { command: (argv) => argv[3] === "restic" && argv[4] === "restore" },
      async (ctx) => {
        let env = "";
        for await (const chunk of ctx.stdin ?? []) env += Buffer.from(chunk).toString();
        seen.push({ args: ctx.argv.slice(4), env });
        return {};
      },
    );
    try {
      const result = await run([
        {
          func: "RestoreData",
          name: "r",
          args: {
            namespace: NS,
            image: IMAGE,
            backupArtifactPrefix: "bucket/b",
            pod: "db-0",
            backupIdentifier: "abc",
            volumes: null,
            insecureTLS: null,
            podOverride: null,
            podLabels: null,
            podAnnotations: null,
            encryptionKey: null,
          },
        },
      ]);
      expect(result.status).toBe("succeeded");
      expect(seen.map((s) => s.args)).toEqual([["restore", "abc", "--target", "/"]]);
      expect(seen[0]?.env).toContain("RESTIC_PASSWORD=\n");
    } finally {
      undo();
    }
  });
});
