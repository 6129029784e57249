/**
 * Real Blueprints of the corpus, unedited, run on the local cluster. Containers are scripted: each
 * handler checks what the rendered command asks for and answers as the real tool would (e.g. the
 * `kando output` lines a backup script prints). Runs only where the corpus is present.
 *
 * @module-tag corpus
 */
import { readCorpus } from "@quiesce/testing/corpus";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBlueprint } from "./blueprint/load.js";
import type { Profile } from "./profile/types.js";
import { BlueprintEvents } from "./runner/events.js";
import { runBlueprintAction } from "./runner/run-action.js";
import { b64, kandoOutputs, script } from "./test-support/fixtures.js";
import { startEnv, statefulSet, type TestEnv, waitReady } from "./test-support/local.js";

const blueprint = (file: string) => loadBlueprint(readCorpus(`kanister/${file}`)).blueprint;
const time = new Date("2026-11-21T10:20:30.456Z");
const stamp = "2026-11-21T10-20-30";
const profile: Profile = {
  Location: { Type: "s3Compliant", Bucket: "backups", Endpoint: "", Prefix: "", Region: "us-east-1" },
  Credential: {
    Type: "keyPair",
    KeyPair: { ID: "AKIDEXAMPLE", Secret: "profile-secret-key" },
    Secret: null,
    KopiaServerSecret: null,
  },
  SkipSSLVerify: false,
};

let env: TestEnv;
beforeAll(async () => {
  env = await startEnv(["db", "cass", "mongo", "elastic", "pg"]);
  await env.lc.apply(`
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: cassandradatacenters.cassandra.datastax.com }
spec:
  group: cassandra.datastax.com
  scope: Namespaced
  names: { plural: cassandradatacenters, singular: cassandradatacenter, kind: CassandraDatacenter }
  versions: [{ name: v1beta1, served: true, storage: true, schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } } }]
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: cassandrabackups.cassandra.k8ssandra.io }
spec:
  group: cassandra.k8ssandra.io
  scope: Namespaced
  names: { plural: cassandrabackups, singular: cassandrabackup, kind: CassandraBackup }
  versions: [{ name: v1alpha1, served: true, storage: true, schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } } }]
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: elasticsearches.elasticsearch.k8s.elastic.co }
spec:
  group: elasticsearch.k8s.elastic.co
  scope: Namespaced
  names: { plural: elasticsearches, singular: elasticsearch, kind: Elasticsearch }
  versions: [{ name: v1, served: true, storage: true, schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } } }]
`);
});
afterAll(() => env.lc.stop());

describe("mysql (KubeTask with kando outputs, phase objects, artifacts)", () => {
  beforeAll(async () => {
    await env.lc.apply(statefulSet("db", "mysql", 1, { "app.kubernetes.io/instance": "mysql" }));
    await env.lc.apply(
      `apiVersion: v1\nkind: Secret\nmetadata: { name: mysql, namespace: db }\ndata: { mysql-root-password: ${b64("r00t-pa55word")} }`,
    );
    await waitReady(env.lc, "statefulsets", "db", "mysql", 1);
  });
  const subject = { kind: "StatefulSet", namespace: "db", name: "mysql" };

  it("backs up, then restores from the backup's artifact", async () => {
    const seen: string[] = [];
    const undo = env.lc.runtime.onRun({ image: "mysql-sidecar" }, (ctx) => {
      const text = script(ctx.argv);
      seen.push(text);
      const s3 = /s3_path="([^"]+)"/.exec(text)?.[1] ?? "";
      if (!text.includes('root_password="r00t-pa55word"')) return { stderr: "access denied\n", exitCode: 1 };
      return { stdout: `-- dump\n${kandoOutputs(text, { s3_path: s3 })}` };
    });
    try {
      const backup = await runBlueprintAction(blueprint("mysql-mysql-blueprint.yaml"), "backup", {
        cluster: env.lc.cluster,
        registry: env.registry,
        subject,
        profile,
        time,
      });
      expect(backup.status).toBe("succeeded");
      const path = `/mysql-backups/db/mysql/${stamp}/dump.sql.gz`;
      expect(backup.outputArtifacts).toEqual({ mysqlCloudDump: { KeyValue: { s3path: path } } });
      // `toJson .Profile` as Go encodes Kanister's param.Profile: field order, v1alpha1.Location's
      // lower-case json tags, nil pointers as null.
      expect(seen[0]).toContain(
        `kando location push --profile '{"Location":{"type":"s3Compliant","bucket":"backups","endpoint":"","prefix":"","region":"us-east-1"},"Credential":{"Type":"keyPair","KeyPair":{"ID":"AKIDEXAMPLE","Secret":"profile-secret-key"},"Secret":null,"KopiaServerSecret":null},"SkipSSLVerify":false}'`,
      );

      const restore = await runBlueprintAction(blueprint("mysql-mysql-blueprint.yaml"), "restore", {
        cluster: env.lc.cluster,
        registry: env.registry,
        subject,
        profile,
        artifacts: backup.outputArtifacts,
      });
      expect(restore.status).toBe("succeeded");
      expect(seen[1]).toContain(`s3_path="${path}"`);
      expect(seen[1]).toContain('kando location pull --profile \'{"Location":{"type":"s3Compliant"');
      expect(seen[1]).toMatch(/\| gunzip \| mysql -u root --password=\S+ -h mysql$/m);
    } finally {
      undo();
    }
  });

  it("redacts the Secret's data and the Profile's credentials from errors and events", async () => {
    const undo = env.lc.runtime.onRun({ image: "mysql-sidecar" }, () => ({
      stdout:
        "mysqldump: Got error: 1045: Access denied for user 'root' using password r00t-pa55word\nkando: key profile-secret-key rejected\n",
      exitCode: 2,
    }));
    const events = new BlueprintEvents();
    const failures: string[] = [];
    events.on("phase:failed", (e) => failures.push(JSON.stringify(e.error)));
    try {
      const result = await runBlueprintAction(blueprint("mysql-mysql-blueprint.yaml"), "backup", {
        cluster: env.lc.cluster,
        registry: env.registry,
        subject,
        profile,
        events,
      });
      expect(result.status).toBe("failed");
      const text = JSON.stringify(result);
      expect(text).toContain("using password [REDACTED]");
      expect(text).not.toContain("r00t-pa55word");
      expect(text).toContain("kando: key [REDACTED] rejected");
      expect(failures.join("")).not.toContain("r00t-pa55word");
      expect(result.outputArtifacts).toEqual({});
    } finally {
      undo();
    }
  });

  // Kanister pkg/param/param.go reads the ActionSet's artifacts whatever inputArtifactNames says:
  // the names are informational, so the run starts and the phase reading the artifact fails.
  it("starts a restore without its named input artifact; the phase that reads it fails", async () => {
    const result = await runBlueprintAction(blueprint("mysql-mysql-blueprint.yaml"), "restore", {
      cluster: env.lc.cluster,
      registry: env.registry,
      subject,
    });
    expect(result.status).toBe("failed");
    expect(result.phases[0]?.status).toBe("failed");
    expect(result.phases[0]?.error?.message).toMatch(/mysqlCloudDump/);
  });
});

describe("k8ssandra (KubeOps create + Wait on the CR's status, then delete)", () => {
  it("creates a CassandraBackup, waits for its controller to finish it, and deletes it later", async () => {
    await env.lc.apply(`
apiVersion: cassandra.datastax.com/v1beta1
kind: CassandraDatacenter
metadata: { name: dc1, namespace: cass }
spec: { clusterName: cluster1, size: 3 }
`);
    const subject = {
      kind: "CassandraDatacenter",
      apiVersion: "cassandra.datastax.com/v1beta1",
      namespace: "cass",
      name: "dc1",
    };
    const name = `kanister-cluster1-dc1-${stamp.toLowerCase()}`;
    const ref = {
      group: "cassandra.k8ssandra.io",
      version: "v1alpha1",
      resource: "cassandrabackups",
      namespace: "cass",
      name,
    };
    // The test's stand-in for the k8ssandra operator: finish the backup once it exists.
    const operator = env.lc.cluster
      .waitFor(ref, (o) => o !== undefined, { timeoutMs: 10_000 })
      .then(async (created) => {
        expect((created?.spec as { cassandraDatacenter?: string } | undefined)?.cassandraDatacenter).toBe(
          "dc1",
        );
        await env.lc.cluster.patch(
          ref,
          { status: { finishTime: "2026-11-21T10:21:00Z", finished: ["node-0", "node-1"] } },
          "merge",
        );
      });
    const backup = await runBlueprintAction(blueprint("k8ssandra-k8ssandra-blueprint.yaml"), "backup", {
      cluster: env.lc.cluster,
      registry: env.registry,
      subject,
      time,
    });
    await operator;
    expect(backup.status).toBe("succeeded");
    expect(backup.outputArtifacts.backupInfo?.KeyValue).toEqual({
      apiVersion: "v1alpha1",
      group: "cassandra.k8ssandra.io",
      name,
      namespace: "cass",
      resource: "cassandrabackups",
    });

    const del = await runBlueprintAction(blueprint("k8ssandra-k8ssandra-blueprint.yaml"), "delete", {
      cluster: env.lc.cluster,
      registry: env.registry,
      subject,
      artifacts: backup.outputArtifacts,
    });
    expect(del.status).toBe("succeeded");
    await expect(env.lc.cluster.get(ref)).rejects.toMatchObject({ code: "QUIESCE_KUBE_NOT_FOUND" });
  });
});

describe("postgresql-ha hook (Wait + KubeTask with a phase Secret)", () => {
  beforeAll(async () => {
    await env.lc.apply(statefulSet("pg", "pg-ha", 1));
    await env.lc.apply(
      `apiVersion: v1\nkind: Secret\nmetadata: { name: pg-ha, namespace: pg }\ndata: { password: ${b64("pg-pass-1")}, repmgr-password: ${b64("repmgr-pass-2")} }`,
    );
    await waitReady(env.lc, "statefulsets", "pg", "pg-ha", 1);
  });

  it.each([
    [{}, "bitnamilegacy/postgresql-repmgr"],
    [{ psqlImage: "example/psql:17" }, "example/psql:17"],
  ])("runs the post-restore hook (options %j → image %s)", async (options, image) => {
    const scripts: string[] = [];
    const undo = env.lc.runtime.onRun({ image }, (ctx) => {
      scripts.push(script(ctx.argv));
      return { stdout: "UPDATE 1\nUPDATE 1\n" };
    });
    try {
      const result = await runBlueprintAction(
        blueprint("postgresql-ha-postgres-ha-hook.yaml"),
        "postrestorehook",
        {
          cluster: env.lc.cluster,
          registry: env.registry,
          subject: { kind: "StatefulSet", namespace: "pg", name: "pg-ha" },
          options,
        },
      );
      expect(result.status).toBe("succeeded");
      expect(result.phases.map((p) => [p.name, p.status])).toEqual([
        ["WaitForPodReady", "succeeded"],
        ["PgUpdate", "succeeded"],
      ]);
      expect(scripts[0]).toContain("export PGPASSWORD='pg-pass-1'");
      expect(scripts[0]).toContain("export PGREPL='repmgr-pass-2'");
      expect(scripts[0]).toContain(".pg-ha-headless.pg.svc.cluster.local'");
    } finally {
      undo();
    }
  });
});

describe("mongo-sidecar (KubeExec with action Secrets and ConfigMaps)", () => {
  it("backs up from the sidecar container of the first pod", async () => {
    await env.lc.apply(`
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: mongo, namespace: mongo }
spec:
  replicas: 2
  serviceName: mongo
  selector: { matchLabels: { app: mongo } }
  template:
    metadata: { labels: { app: mongo } }
    spec:
      containers:
      - { name: mongo, image: mongo:4 }
      - { name: mongo-tools-sidecar, image: example/mongo-tools:1 }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: mongo-location, namespace: mongo }
data: { bucket: "s3://mongo-bucket" }
---
apiVersion: v1
kind: Secret
metadata: { name: aws-creds, namespace: mongo }
data: { aws_access_key_id: ${b64("AKIAMONGO")}, aws_secret_access_key: ${b64("mongo-secret-key")} }
`);
    await waitReady(env.lc, "statefulsets", "mongo", "mongo", 2);
    const calls: Array<{ pod: string; container: string; text: string }> = [];
    const undo = env.lc.runtime.onExec({ container: "mongo-tools-sidecar" }, (ctx) => {
      calls.push({ pod: ctx.pod, container: ctx.container, text: script(ctx.argv) });
      return { stdout: "upload: rs0.tar\n" };
    });
    try {
      const result = await runBlueprintAction(
        blueprint("mongo-sidecar-mongo-sidecar-blueprint.yaml"),
        "backup",
        {
          cluster: env.lc.cluster,
          registry: env.registry,
          subject: { kind: "StatefulSet", namespace: "mongo", name: "mongo" },
          configMaps: { location: { namespace: "mongo", name: "mongo-location" } },
          secrets: { aws: { namespace: "mongo", name: "aws-creds" } },
          time,
        },
      );
      expect(result.status).toBe("succeeded");
      expect(calls.map((c) => `${c.pod}/${c.container}`)).toEqual(["mongo-0/mongo-tools-sidecar"]);
      expect(calls[0]?.text).toContain("export AWS_ACCESS_KEY_ID=AKIAMONGO");
      expect(calls[0]?.text).toContain('host="mongo-0.mongo.mongo.svc.cluster.local"');
      expect(result.outputArtifacts).toEqual({
        cloudObject: { KeyValue: { path: `s3://mongo-bucket/backups/mongo/${stamp}/rs0.tar` } },
      });
    } finally {
      undo();
    }
  });
});

describe("elasticsearch-incremental restore (Wait + ScaleWorkload + KubeTask)", () => {
  // Kanister's webhook refuses this Blueprint (phase setupNodeKeyStore is in three actions), and so
  // does validation here; the action itself runs once validation is turned off.
  it("is refused as Kanister refuses it, and with validation off waits for a green cluster, scales the node set and restores the snapshot", async () => {
    await env.lc.apply(`
apiVersion: elasticsearch.k8s.elastic.co/v1
kind: Elasticsearch
metadata: { name: es, namespace: elastic, uid: es-uid }
spec: { nodeSets: [{ name: default, count: 2 }] }
---
apiVersion: v1
kind: Secret
metadata: { name: es-es-elastic-user, namespace: elastic }
data: { elastic: ${b64("elastic-pw")} }
`);
    await env.lc.apply(statefulSet("elastic", "es-es-default", 0));
    const esRef = {
      group: "elasticsearch.k8s.elastic.co",
      version: "v1",
      resource: "elasticsearches",
      namespace: "elastic",
      name: "es",
    };
    const events = new BlueprintEvents();
    // ECK's stand-in: the cluster turns yellow once the restore starts waiting for it.
    events.on("phase:started", (e) => {
      if (e.phase === "waitElasticGreen") {
        setTimeout(() => void env.lc.cluster.patch(esRef, { status: { health: "yellow" } }, "merge"), 30);
      }
    });
    const scripts: Record<string, string> = {};
    const undo = env.lc.runtime.onRun({ image: "kanister-kubectl-1.18" }, (ctx) => {
      const text = script(ctx.argv);
      scripts[text.includes("_restore?pretty") ? "restore" : "keystore"] = text;
      return { stdout: "ok\n" };
    });
    try {
      const subject = {
        kind: "Elasticsearch",
        apiVersion: "elasticsearch.k8s.elastic.co/v1",
        namespace: "elastic",
        name: "es",
      };
      const artifacts = {
        s3Snap: {
          KeyValue: {
            repoPath: "k10/c/elastic-search/n/es-uid",
            snapshotName: "snap_1",
            esClusterName: "es",
            esClusterNamespace: "elastic",
          },
        },
      };
      const doc = blueprint("elasticsearch-incremental-elasticsearch-incremental-blueprint.yaml");
      const options = {
        cluster: env.lc.cluster,
        registry: env.registry,
        subject,
        artifacts,
        profile,
        events,
      };
      const refused = await runBlueprintAction(doc, "restore", options);
      expect(refused.status).toBe("failed");
      expect(refused.error?.message).toContain(
        "Failed to validate: Duplicated phase name is not allowed. Violating phase 'setupNodeKeyStore'",
      );
      const result = await runBlueprintAction(doc, "restore", { ...options, validate: false });
      expect(result.status).toBe("succeeded");
      expect(result.phases.map((p) => p.name)).toEqual([
        "waitElasticGreen",
        "ensureSTSIsScaled",
        "setupNodeKeyStore",
        "restoreElastic",
      ]);
      expect(result.phases[1]?.output).toEqual({ originalReplicaCount: 0 });
      const pods = await env.lc.cluster.selectPods("elastic", {
        selector: "app=es-es-default",
        phase: "Running",
      });
      expect(pods).toHaveLength(2);
      expect(scripts.keystore).toContain('AWS_ACCESS_KEY="AKIDEXAMPLE"');
      expect(scripts.keystore).toContain("NODE_SET_0_COUNT=2");
      expect(scripts.restore).toContain('PASSWORD="elastic-pw"');
      expect(scripts.restore).toContain('SNAPSHOT_NAME="snap_1"');
    } finally {
      undo();
    }
  });
});

describe("postgresql start-stop (deferPhase without a name)", () => {
  it("runs its deferPhase after a failed phase, and the deferPhase sees .Phases", async () => {
    await env.lc.apply(statefulSet("pg", "pgss", 1, { "app.kubernetes.io/instance": "pgss" }));
    await env.lc.apply(
      `apiVersion: v1\nkind: Secret\nmetadata: { name: pgss-postgresql, namespace: pg }\ndata: { postgres-password: ${b64("pgss-pw")} }`,
    );
    await waitReady(env.lc, "statefulsets", "pg", "pgss", 1);
    // The backup pod the Blueprint creates becomes ContainersReady; startBackup then fails.
    const undo = env.lc.runtime.onExec(
      { command: (argv) => script(argv).includes("pg_backup_start") },
      () => ({
        stderr: "psql: connection refused\n",
        exitCode: 1,
      }),
    );
    try {
      const result = await runBlueprintAction(
        blueprint("postgresql-postgres-start-stop-blueprint.yaml"),
        "backup",
        {
          cluster: env.lc.cluster,
          registry: env.registry,
          subject: { kind: "StatefulSet", namespace: "pg", name: "pgss" },
          validate: false, // CopyVolumeData (a later phase) is not a built-in
        },
      );
      expect(result.status).toBe("failed");
      expect(result.phases.map((p) => [p.name, p.status])).toEqual([
        ["createBackupPod", "succeeded"],
        ["waitForPodReady", "succeeded"],
        ["startBackup", "failed"],
        ["copyFiles", "skipped"],
        ["stopBackup", "skipped"],
      ]);
      expect(result.deferPhase).toMatchObject({ name: "deferPhase", func: "KubeOps", status: "succeeded" });
      const podName = result.phases[0]?.output.name as string;
      expect(podName).toMatch(/^postgres-backup-session/);
      await expect(
        env.lc.cluster.get({ version: "v1", resource: "pods", namespace: "pg", name: podName }),
      ).rejects.toMatchObject({ code: "QUIESCE_KUBE_NOT_FOUND" });
    } finally {
      undo();
    }
  });
});
