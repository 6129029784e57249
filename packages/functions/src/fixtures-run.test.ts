/**
 * The repository's own Blueprints (packages/testing/fixtures/kanister), unedited, run on the local
 * cluster. Containers are scripted: each handler checks what the rendered command asks for and
 * answers as the real tool would (e.g. the `kando output` lines a backup script prints).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlueprintEvents } from "./runner/events.js";
import { runBlueprintAction } from "./runner/run-action.js";
import {
  b64,
  blueprint,
  crd,
  kandoOutputs,
  profile,
  script,
  statefulSet,
  time,
} from "./test-support/fixtures.js";
import { startEnv, type TestEnv, waitReady } from "./test-support/local.js";

let env: TestEnv;
beforeAll(async () => {
  env = await startEnv(["ledger", "catalog", "queue", "kv", "search", "export"]);
  await env.lc.apply(
    [
      crd("catalog.example.com", "Catalog", "catalogs", "v1"),
      crd("catalog.example.com", "CatalogSnapshot", "catalogsnapshots", "v1"),
      crd("search.example.com", "SearchCluster", "searchclusters", "v2"),
    ].join("---\n"),
  );
});
afterAll(() => env.lc.stop());

describe("ledger-dump (KubeTask, phase objects, kando outputs, artifacts)", () => {
  const subject = { kind: "StatefulSet", namespace: "ledger", name: "ledger" };
  beforeAll(async () => {
    await env.lc.apply(statefulSet("ledger", "ledger", 2, ["ledger"]));
    await env.lc.apply(
      `apiVersion: v1\nkind: Secret\nmetadata: { name: ledger-prod-creds, namespace: ledger }\ndata: { username: ${b64("auditor")}, password: ${b64("l3dger-pw")} }`,
    );
    await waitReady(env.lc, "statefulsets", "ledger", "ledger", 2);
  });

  it("backs up, restores from the backup's artifact, and deletes it", async () => {
    const seen: string[] = [];
    const undo = env.lc.runtime.onRun({ image: /ledger\/tools/ }, (ctx) => {
      const text = ctx.argv.join(" ");
      seen.push(text);
      if (text.includes("ledgerctl dump")) {
        if (!text.includes("export LEDGER_PASSWORD='l3dger-pw'")) return { stderr: "denied\n", exitCode: 1 };
        const stamp = /stamp='([^']+)'/.exec(text)?.[1] ?? "";
        const archive = `ledger/ledger/ledger/${stamp}.dump.zst`;
        return { stdout: `dumped\n${kandoOutputs(text, { archive })}` };
      }
      return { stdout: "ok\n" };
    });
    try {
      const backup = await runBlueprintAction(blueprint("ledger-blueprint.yaml"), "backup", {
        cluster: env.lc.cluster,
        registry: env.registry,
        subject,
        profile,
        time,
      });
      expect(backup.status).toBe("succeeded");
      const path = "ledger/ledger/ledger/20270304T050607Z.dump.zst";
      // `tables` is `len .StatefulSet.Pods | add 2`: two pods.
      expect(backup.outputArtifacts).toEqual({ ledgerArchive: { KeyValue: { path, tables: "4" } } });
      expect(seen[0]).toContain("export LEDGER_USER='auditor'");
      expect(seen[0]).toContain("ledgerctl dump --host ledger-0.ledger --all");
      // toJson .Profile: Kanister's param.Profile as encoding/json writes it.
      expect(seen[0]).toContain(
        `--profile '{"Location":{"type":"s3Compliant","bucket":"archives","endpoint":"","prefix":"","region":"eu-west-1"},"Credential":{"Type":"keyPair","KeyPair":{"ID":"AKIDLEDGER","Secret":"ledger-profile-secret"},"Secret":null,"KopiaServerSecret":null},"SkipSSLVerify":false}'`,
      );

      const restore = await runBlueprintAction(blueprint("ledger-blueprint.yaml"), "restore", {
        cluster: env.lc.cluster,
        registry: env.registry,
        subject,
        profile,
        artifacts: backup.outputArtifacts,
      });
      expect(restore.status).toBe("succeeded");
      expect(seen[1]).toContain(`kando location pull --profile '{"Location":{"type":"s3Compliant"`);
      expect(seen[1]).toContain(`--path '${path}' -`);
      expect(seen[1]).toContain("| zstd -dq | ledgerctl load --host ledger-0.ledger");

      // Kanister sets .Namespace only for a Namespace subject, which is what a delete action gets.
      const del = await runBlueprintAction(blueprint("ledger-blueprint.yaml"), "delete", {
        cluster: env.lc.cluster,
        registry: env.registry,
        subject: { kind: "Namespace", name: "ledger" },
        profile,
        artifacts: backup.outputArtifacts,
      });
      expect(del.error).toBeUndefined();
      expect(del.status).toBe("succeeded");
      expect(seen[2]).toMatch(
        /^kando location delete --profile \{"Location":\{"type":"s3Compliant".* --path ledger\/ledger\/ledger\//,
      );
    } finally {
      undo();
    }
  });

  it("redacts the Secret's data and the Profile's credentials from errors and events", async () => {
    const undo = env.lc.runtime.onRun({ image: /ledger\/tools/ }, () => ({
      stdout: "ledgerctl: auth failed for auditor with l3dger-pw\nkando: key ledger-profile-secret refused\n",
      exitCode: 2,
    }));
    const events = new BlueprintEvents();
    const failures: string[] = [];
    events.on("phase:failed", (e) => failures.push(JSON.stringify(e.error)));
    try {
      const result = await runBlueprintAction(blueprint("ledger-blueprint.yaml"), "backup", {
        cluster: env.lc.cluster,
        registry: env.registry,
        subject,
        profile,
        events,
      });
      expect(result.status).toBe("failed");
      const text = JSON.stringify(result);
      expect(text).toContain("with [REDACTED]");
      expect(text).not.toContain("l3dger-pw");
      expect(text).toContain("kando: key [REDACTED] refused");
      expect(failures.join("")).not.toContain("l3dger-pw");
      expect(result.outputArtifacts).toEqual({});
    } finally {
      undo();
    }
  });

  // Kanister pkg/param/param.go: inputArtifactNames is informational; the run starts and the
  // phase that reads the missing artifact fails on it.
  it("starts a restore without the input artifact it names; the phase reading it fails", async () => {
    const result = await runBlueprintAction(blueprint("ledger-blueprint.yaml"), "restore", {
      cluster: env.lc.cluster,
      registry: env.registry,
      subject,
    });
    expect(result.status).toBe("failed");
    expect(result.phases[0]?.status).toBe("failed");
    expect(result.phases[0]?.error?.message).toMatch(/ledgerArchive/);
  });
});

describe("catalog-snapshot (KubeOps create + Wait allOf on the CR's status, then delete)", () => {
  it("creates a CatalogSnapshot, waits for its operator to finish it, and deletes it later", async () => {
    await env.lc.apply(
      "apiVersion: catalog.example.com/v1\nkind: Catalog\nmetadata: { name: books, namespace: catalog }\nspec: { shards: 6 }",
    );
    const subject = {
      kind: "Catalog",
      apiVersion: "catalog.example.com/v1",
      namespace: "catalog",
      name: "books",
    };
    const ref = {
      group: "catalog.example.com",
      version: "v1",
      resource: "catalogsnapshots",
      namespace: "catalog",
      name: "books-20270304-0506",
    };
    // The test's stand-in for the catalog operator: report the snapshot running, then done.
    const operator = env.lc.cluster
      .waitFor(ref, (o) => o !== undefined, { timeoutMs: 10_000 })
      .then(async (created) => {
        expect(created?.spec).toEqual({ catalog: "books", shards: 6 });
        expect(created?.metadata?.labels).toEqual({ "catalog.example.com/source": "books" });
        await env.lc.cluster.patch(ref, { status: { phase: "Running" } }, "merge");
        await new Promise((r) => setTimeout(r, 50));
        await env.lc.cluster.patch(ref, { status: { phase: "Done" } }, "merge");
      });
    const backup = await runBlueprintAction(blueprint("catalog-snapshot-blueprint.yaml"), "backup", {
      cluster: env.lc.cluster,
      registry: env.registry,
      subject,
      time,
    });
    await operator;
    expect(backup.status).toBe("succeeded");
    expect(backup.outputArtifacts.snapshotRef?.KeyValue).toEqual({
      group: "catalog.example.com",
      version: "v1",
      resource: "catalogsnapshots",
      name: "books-20270304-0506",
      namespace: "catalog",
    });
    expect((await env.lc.cluster.get(ref)).status).toEqual({ phase: "Done" });

    const del = await runBlueprintAction(blueprint("catalog-snapshot-blueprint.yaml"), "delete", {
      cluster: env.lc.cluster,
      registry: env.registry,
      subject,
      artifacts: backup.outputArtifacts,
    });
    expect(del.status).toBe("succeeded");
    await expect(env.lc.cluster.get(ref)).rejects.toMatchObject({ code: "QUIESCE_KUBE_NOT_FOUND" });
  });
});

describe("queue-hooks (WaitV2 over pod conditions, KubeTask with a phase Secret and option defaults, KubeExec)", () => {
  const subject = { kind: "StatefulSet", namespace: "queue", name: "broker" };
  beforeAll(async () => {
    await env.lc.apply(statefulSet("queue", "broker", 1, ["broker"]));
    await env.lc.apply(
      `apiVersion: v1\nkind: Secret\nmetadata: { name: broker-auth, namespace: queue }\ndata: { user: ${b64("ops")}, secret: ${b64("q-secret")} }`,
    );
    await waitReady(env.lc, "statefulsets", "queue", "broker", 1);
  });

  it.each([
    [{}, "registry.example.com/queue/cli:5", "'orders'"],
    [{ clientImage: "example/queue-cli:6", queue: "invoices" }, "example/queue-cli:6", "'invoices'"],
  ])("drains with options %j (image %s, queue %s)", async (options, image, queue) => {
    const scripts: string[] = [];
    const undo = env.lc.runtime.onRun({ image }, (ctx) => {
      scripts.push(script(ctx.argv));
      return { stdout: "paused 3 publishers\n" };
    });
    try {
      const result = await runBlueprintAction(blueprint("queue-hooks-blueprint.yaml"), "drain", {
        cluster: env.lc.cluster,
        registry: env.registry,
        subject,
        options,
      });
      expect(result.error).toBeUndefined();
      expect(result.status).toBe("succeeded");
      expect(result.phases.map((p) => [p.name, p.status])).toEqual([
        ["brokerReady", "succeeded"],
        ["pausePublishers", "succeeded"],
      ]);
      expect(scripts).toHaveLength(1);
      expect(scripts[0]).toContain("export QUEUE_URL='amqp://ops:q-secret@broker.queue.svc:5672'");
      expect(scripts[0]).toContain(`queuectl queues drain ${queue.replaceAll("'", '"')}`);
    } finally {
      undo();
    }
  });

  it("waits for the broker pod's Ready condition before pausing anything", async () => {
    await env.lc.apply(statefulSet("queue", "slow-broker", 1, ["broker"]));
    await waitReady(env.lc, "statefulsets", "queue", "slow-broker", 1);
    await env.lc.apply(
      `apiVersion: v1\nkind: Secret\nmetadata: { name: slow-broker-auth, namespace: queue }\ndata: { user: ${b64("ops")}, secret: ${b64("s")} }`,
    );
    const pods = env.lc.store.typeFor("", "v1", "pods");
    if (!pods) throw new Error("no pods type");
    const setReady = (status: "True" | "False") =>
      env.lc.store.mutate(pods, "queue", "slow-broker-0", (p) => {
        const conditions = (p.status as { conditions: Array<{ type: string; status: string }> }).conditions;
        for (const c of conditions) if (c.type === "Ready") c.status = status;
      });
    setReady("False");
    let pausedAt = 0;
    let readyAt = 0;
    const undo = env.lc.runtime.onRun({ image: /queue\/cli/ }, () => {
      pausedAt = Date.now();
      return {};
    });
    const events = new BlueprintEvents();
    events.on("phase:started", (e) => {
      if (e.phase !== "brokerReady") return;
      setTimeout(() => {
        readyAt = Date.now();
        setReady("True");
      }, 100);
    });
    try {
      const result = await runBlueprintAction(blueprint("queue-hooks-blueprint.yaml"), "drain", {
        cluster: env.lc.cluster,
        registry: env.registry,
        subject: { ...subject, name: "slow-broker" },
        events,
      });
      expect(result.status).toBe("succeeded");
      expect(readyAt).toBeGreaterThan(0);
      expect(pausedAt).toBeGreaterThanOrEqual(readyAt);
    } finally {
      undo();
    }
  });

  it("resumes in the broker container of the first pod", async () => {
    const calls: string[] = [];
    const undo = env.lc.runtime.onExec({ container: "broker" }, (ctx) => {
      calls.push(`${ctx.pod}/${ctx.container}: ${ctx.argv.join(" ")}`);
      return { stdout: "resumed\n" };
    });
    try {
      const result = await runBlueprintAction(blueprint("queue-hooks-blueprint.yaml"), "resume", {
        cluster: env.lc.cluster,
        registry: env.registry,
        subject,
      });
      expect(result.status).toBe("succeeded");
      expect(calls).toEqual(["broker-0/broker: queuectl publishers resume --all"]);
    } finally {
      undo();
    }
  });
});
