import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { type LocalCluster, startLocalCluster } from "@quiesce/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeStashHookSpec } from "./hook-spec.js";
import { runWithHooks } from "./lifecycle.js";
import type { HookRecord } from "./result.js";
import { clusterTemplates } from "./template-source.js";
import { hookTemplateCrd, mysqlPods } from "./test-support/cluster-fixtures.js";
import type { Variable } from "./variables.js";

const find = (hooks: HookRecord[], name: string) => hooks.find((h) => h.name === name) as HookRecord;

const template = (name: string, namespace: string, spec: string) => `
apiVersion: core.kubestash.com/v1alpha1
kind: HookTemplate
metadata: { name: ${name}, namespace: ${namespace} }
spec:
${spec}
`;

let lc: LocalCluster;
beforeAll(async () => {
  lc = await startLocalCluster({ podStartDelayMs: 0, readyDelayMs: 0, terminationDelayMs: 0 });
  await lc.apply(`
apiVersion: v1
kind: Namespace
metadata: { name: prod, labels: { env: prod } }
---
apiVersion: v1
kind: Namespace
metadata: { name: dev, labels: { env: dev } }
---
apiVersion: v1
kind: Namespace
metadata: { name: tools }
`);
  await lc.apply(hookTemplateCrd);
  for (const ns of ["prod", "dev", "tools"]) await lc.apply(mysqlPods(ns));
  await lc.apply(
    template(
      "same-only",
      "tools",
      `  action: { exec: { command: [sync] }, containerName: mysql }
  executor: { type: Pod, pod: { selector: app.kubernetes.io/instance=sample-mysql } }`,
    ),
  );
  await lc.apply(
    template(
      "prod-only",
      "tools",
      `  usagePolicy: { allowedNamespaces: { from: Selector, selector: { matchLabels: { env: prod } } } }
  params:
    - { name: DB, required: true, usage: database to flush }
    - { name: MODE, default: gentle }
  action:
    exec:
      command: [flush, "{{ .Namespace }}/{{ .Target.Kind }}/{{ .Target.Name }}", "{{ .Name }}"]
    containerName: mysql
  executor: { type: Pod, pod: { selector: "app.kubernetes.io/instance=sample-mysql", strategy: ExecuteOnOne } }`,
    ),
  );
  await lc.apply(
    template(
      "sleeper",
      "tools",
      `  usagePolicy: { allowedNamespaces: { from: All } }
  action: { exec: { command: [sleep-forever] }, containerName: mysql }
  executor: { type: Pod, pod: { selector: app.kubernetes.io/instance=sample-mysql } }`,
    ),
  );
  await lc.apply(
    template(
      "thaw",
      "tools",
      `  usagePolicy: { allowedNamespaces: { from: All } }
  action: { exec: { command: [thaw] }, containerName: mysql }
  executor: { type: Pod, pod: { selector: app.kubernetes.io/instance=sample-mysql, strategy: ExecuteOnAll } }`,
    ),
  );
  lc.runtime.onExec({ command: "thaw" }, () => ({ stdout: "thawed\n" }));
  lc.runtime.onExec({ command: /^flush / }, (ctx) => ({ stdout: `${ctx.argv.slice(1).join(" ")}\n` }));
  lc.runtime.onExec({ command: "sleep-forever" }, async (ctx) => {
    await ctx.stdout("sleeping\n");
    await new Promise<void>((resolve) =>
      ctx.signal.addEventListener("abort", () => resolve(), { once: true }),
    );
    return { exitCode: 137 };
  });
  await lc.cluster.waitFor(
    { version: "v1", resource: "pods", namespace: "tools", name: "sample-mysql-1" },
    (p) => (p?.status as { phase?: string } | undefined)?.phase === "Running",
  );
});
afterAll(() => lc?.stop());

const subject = (ns: string) => ({ kind: "StatefulSet", namespace: ns, name: "sample-mysql" });
const ref = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  hookTemplate: { name, namespace: "tools" },
  ...extra,
});

describe("usage policy and params (templates read from the cluster)", () => {
  it("Same refuses another namespace before anything runs, naming both namespaces", async () => {
    let stepRan = false;
    const result = await runWithHooks(
      {
        cluster: lc.cluster,
        subject: subject("prod"),
        hooks: { pre: [ref("same-only")], post: [ref("thaw")] },
      },
      async () => {
        stepRan = true;
      },
    );
    expect(stepRan).toBe(false);
    expect(result).toMatchObject({ outcome: "failed", decidedBy: "hook-resolution-failed" });
    expect(result.error).toMatchObject({ code: "QUIESCE_POLICY_REFUSED" });
    expect(result.error?.message).toContain('"prod"');
    expect(result.error?.message).toContain('"tools"');
    expect(find(result.hooks, "thaw")).toMatchObject({
      status: "skipped",
      skippedBecause: "resolution-failed",
      attempts: [],
    });
  });

  // kubestash/apimachinery webhooks/core/v1alpha1/backupconfiguration.go (and restoresession.go)
  // validateHookTemplatesAgainstUsagePolicy: UsageAllowed is asked for the invoker's namespace.
  it("checks the usage policy from the invoker's namespace when the run names an invoker", async () => {
    lc.runtime.onExec({ command: "sync" }, () => ({ stdout: "synced\n" }));
    const run = (invokerNamespace: string) =>
      runWithHooks(
        {
          cluster: lc.cluster,
          subject: subject("prod"),
          invoker: { kind: "BackupConfiguration", name: "nightly", namespace: invokerNamespace },
          hooks: { pre: [ref("same-only")] },
        },
        async () => {},
      );
    const fromTools = await run("tools");
    expect(fromTools.outcome).toBe("succeeded");
    expect(find(fromTools.hooks, "same-only").targets[0]).toMatchObject({
      namespace: "prod",
      stdout: "synced\n",
    });
    const fromProd = await run("prod");
    expect(fromProd.error).toMatchObject({
      code: "QUIESCE_POLICY_REFUSED",
      message: expect.stringContaining('may not be used from namespace "prod"'),
    });
  });

  it("Selector admits namespaces whose labels match and refuses the others", async () => {
    const ok = await runWithHooks(
      {
        cluster: lc.cluster,
        subject: subject("prod"),
        sessionName: "nightly-1",
        hooks: { pre: [ref("prod-only", { params: { DB: "orders" } })] },
      },
      async () => {},
    );
    expect(ok.outcome).toBe("succeeded");
    expect(find(ok.hooks, "prod-only").targets[0]?.stdout).toBe("prod/StatefulSet/sample-mysql nightly-1\n");

    const refused = await runWithHooks(
      {
        cluster: lc.cluster,
        subject: subject("dev"),
        hooks: { pre: [ref("prod-only", { params: { DB: "orders" } })] },
      },
      async () => {},
    );
    expect(refused.error?.code).toBe("QUIESCE_POLICY_REFUSED");
    expect(refused.error?.message).toMatch(/"dev".*env=prod.*"tools"/);
  });

  it("a params error names the param", async () => {
    const missing = await runWithHooks(
      { cluster: lc.cluster, subject: subject("prod"), hooks: { pre: [ref("prod-only")] } },
      async () => {},
    );
    expect(missing.error).toMatchObject({
      code: "QUIESCE_INVALID_PARAMS",
      message: expect.stringContaining('required param "DB"'),
    });
    const unknown = await runWithHooks(
      {
        cluster: lc.cluster,
        subject: subject("prod"),
        hooks: { pre: [ref("prod-only", { params: { DB: "a", DATABASE: "b" } })] },
      },
      async () => {},
    );
    expect(unknown.error?.message).toContain('unknown param "DATABASE"');
  });

  it("a missing template is reported by name", async () => {
    const result = await runWithHooks(
      { cluster: lc.cluster, subject: subject("prod"), hooks: { pre: [ref("nope")] } },
      async () => {},
    );
    expect(result.error).toMatchObject({
      code: "QUIESCE_HOOK_TEMPLATE_NOT_FOUND",
      message: expect.stringContaining("tools/nope"),
    });
    await expect(
      clusterTemplates(lc.cluster).get({ name: "prod-only", namespace: "tools" }),
    ).resolves.toMatchObject({
      spec: { params: [{ name: "DB" }, { name: "MODE" }] },
    });
  });
});

describe("timeouts and cancellation of remote commands", () => {
  it("a timeout mid-exec fails the attempt and reports the command as possibly still running", async () => {
    // The timeout must fall while the command runs. It also covers the pod selection and the exec's
    // start: on a machine too slow to start the command within it, try again with a longer one.
    const attempt = (timeout: string) =>
      runWithHooks(
        {
          cluster: lc.cluster,
          subject: subject("prod"),
          hooks: { pre: [ref("sleeper", { timeout })], post: [ref("thaw")] },
        },
        async () => {},
      );
    let result = await attempt("500ms");
    for (const timeout of ["2s", "8s"]) {
      if (find(result.hooks, "sleeper").targets[0]?.stdout === "sleeping\n") break;
      result = await attempt(timeout);
    }
    expect(result).toMatchObject({ outcome: "failed", decidedBy: "pre-hook-failed" });
    const rec = find(result.hooks, "sleeper");
    expect(rec.attempts).toHaveLength(1);
    expect(rec.attempts[0]).toMatchObject({
      status: "failed",
      timedOut: true,
      error: { code: "QUIESCE_TIMEOUT" },
    });
    expect(rec.targets[0]).toMatchObject({ possiblyStillRunning: true, stdout: "sleeping\n" });
    expect(find(result.hooks, "thaw").status).toBe("succeeded");
  });

  it("abort mid-hook cancels the exec and still runs the cleanup hook", async () => {
    const controller = new AbortController();
    const started = new Promise<void>((resolve) => {
      const undo = lc.runtime.onExec({ command: "sleep-forever", namespace: "dev" }, async (ctx) => {
        resolve();
        await new Promise<void>((r) => ctx.signal.addEventListener("abort", () => r(), { once: true }));
        undo();
        return { exitCode: 137 };
      });
    });
    void started.then(() =>
      controller.abort(new QuiesceError(ErrorCodes.ABORTED, "backup cancelled by the operator")),
    );
    const result = await runWithHooks(
      {
        cluster: lc.cluster,
        subject: subject("dev"),
        signal: controller.signal,
        hooks: { pre: [ref("sleeper")], post: [ref("thaw")] },
      },
      async () => {},
    );
    expect(result).toMatchObject({
      outcome: "cancelled",
      decidedBy: "cancelled",
      step: { status: "skipped", skippedBecause: "cancelled" },
    });
    expect(find(result.hooks, "sleeper").status).toBe("cancelled");
    const thaw = find(result.hooks, "thaw");
    expect(thaw.status).toBe("succeeded");
    expect(thaw.targets.map((t) => t.stdout)).toEqual(["thawed\n", "thawed\n"]);
  });

  it("runs hooks once per namespace of a multi-namespace operation", async () => {
    const result = await runWithHooks(
      {
        cluster: lc.cluster,
        namespaces: ["prod", "dev", "tools"],
        concurrency: 2,
        hooks: { post: [ref("thaw")] },
      },
      async () => {},
    );
    expect(result.outcome).toBe("succeeded");
    expect(result.hooks.map((h) => [h.namespace, h.targets.map((t) => t.namespace ?? h.namespace)])).toEqual([
      ["prod", ["prod", "prod"]],
      ["dev", ["dev", "dev"]],
      ["tools", ["tools", "tools"]],
    ]);
  });
});

describe("Function executor hooks", () => {
  // HookInfo.Variables are core/v1 EnvVars "used to resolve the HookTemplate"
  // (kubestash/apimachinery apis/core/v1alpha1/types.go): a valueFrom reads a key of a Secret or
  // ConfigMap of the hook's namespace as the kubelet fills a container's env.
  const notify = (variables: Variable[]): KubeStashHookSpec => ({
    name: "notify",
    hookTemplate: { name: "notify", namespace: "prod" },
    variables,
    template: {
      apiVersion: "core.kubestash.com/v1alpha1",
      kind: "HookTemplate",
      metadata: { name: "notify", namespace: "prod" },
      spec: { executor: { type: "Function", function: { name: "notify-fn" } } },
    },
  });
  const functions = {
    "notify-fn": {
      image: "notifier:1",
      command: ["notify"],
      args: ["${TOKEN}", "${ROOM}", "${MAYBE:=unset}"],
    },
  };

  it("takes variables from Secrets and ConfigMaps: substituted, and in the Job's env through valueFrom", async () => {
    await lc.apply(`
apiVersion: v1
kind: Secret
metadata: { name: slack, namespace: prod }
stringData: { token: xoxb-s3cret-token }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: slack-room, namespace: prod }
data: { room: "#db-ops" }
`);
    const runs: { argv: readonly string[]; env: Readonly<Record<string, string>> }[] = [];
    const undo = lc.runtime.onRun({ image: "notifier" }, (ctx) => {
      runs.push({ argv: ctx.argv, env: ctx.env });
      return { stdout: `token was ${ctx.env.TOKEN}\n` };
    });
    try {
      const result = await runWithHooks(
        {
          cluster: lc.cluster,
          subject: subject("prod"),
          functions,
          hooks: {
            post: [
              notify([
                { name: "TOKEN", valueFrom: { secretKeyRef: { name: "slack", key: "token" } } },
                { name: "ROOM", valueFrom: { configMapKeyRef: { name: "slack-room", key: "room" } } },
                { name: "MAYBE", valueFrom: { secretKeyRef: { name: "absent", key: "x", optional: true } } },
                { name: "POD", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
              ]),
            ],
          },
        },
        async () => {},
      );
      expect(result.outcome).toBe("succeeded");
      expect(runs[0]?.argv).toEqual(["notify", "xoxb-s3cret-token", "#db-ops", "unset"]);
      // Kubernetes resolved the Secret in the Job (its spec names the Secret, not the value).
      expect(runs[0]?.env.TOKEN).toBe("xoxb-s3cret-token");
      // A Secret value is redacted wherever quiesce reports it.
      expect(result.hooks[0]?.targets[0]?.stdout).toBe("token was [REDACTED]\n");
    } finally {
      undo();
    }
  });

  // HookInfo.RuntimeSettings: "runtime configurations for the hook executor Job" (offshoot-api).
  it("applies a reference's runtimeSettings to the hook's Job", async () => {
    const runs: Readonly<Record<string, string>>[] = [];
    const undo = lc.runtime.onRun({ image: "notifier" }, (ctx) => {
      runs.push(ctx.env);
      return {};
    });
    try {
      const ref = {
        ...notify([
          { name: "TOKEN", value: "t" },
          { name: "ROOM", value: "r" },
        ]),
        runtimeSettings: {
          container: { nice: { adjustment: 10 }, env: [{ name: "LEVEL", value: "debug" }] },
          pod: { podLabels: { team: "db" } },
        },
      };
      const result = await runWithHooks(
        { cluster: lc.cluster, subject: subject("prod"), functions, hooks: { post: [ref] } },
        async () => {},
      );
      expect(result.outcome).toBe("succeeded");
      expect(runs[0]).toMatchObject({ NICE_ADJUSTMENT: "10", LEVEL: "debug", TOKEN: "t" });
      const bad = await runWithHooks(
        {
          cluster: lc.cluster,
          subject: subject("prod"),
          functions,
          hooks: { post: [{ ...ref, runtimeSettings: { pod: { labels: { x: "y" } } } as never }] },
        },
        async () => {},
      );
      expect(bad.decidedBy).toBe("hook-resolution-failed");
      expect(bad.error?.message).toContain("hooks.post[0].runtimeSettings.pod");
    } finally {
      undo();
    }
  });

  it("a missing Secret or key fails the session before anything runs, naming the variable", async () => {
    const result = await runWithHooks(
      {
        cluster: lc.cluster,
        subject: subject("prod"),
        functions,
        hooks: {
          post: [notify([{ name: "TOKEN", valueFrom: { secretKeyRef: { name: "nope", key: "token" } } }])],
        },
      },
      async () => {},
    );
    expect(result.decidedBy).toBe("hook-resolution-failed");
    expect(result.error?.message).toBe(
      'hooks.post[0].variables[0].valueFrom.secretKeyRef: secrets "nope" not found in namespace "prod"',
    );
    const key = await runWithHooks(
      {
        cluster: lc.cluster,
        subject: subject("prod"),
        functions,
        hooks: {
          post: [
            notify([
              { name: "ROOM", valueFrom: { configMapKeyRef: { name: "slack-room", key: "channel" } } },
            ]),
          ],
        },
      },
      async () => {},
    );
    expect(key.error?.message).toBe(
      "hooks.post[0].variables[0].valueFrom.configMapKeyRef: couldn't find key channel in ConfigMap prod/slack-room",
    );
  });

  it("runs the hook as a Job with params substituted and variables in its environment", async () => {
    const runs: { argv: readonly string[]; env: Readonly<Record<string, string>> }[] = [];
    const undo = lc.runtime.onRun({ image: "notifier" }, (ctx) => {
      runs.push({ argv: ctx.argv, env: ctx.env });
      return { stdout: "sent\n" };
    });
    try {
      const result = await runWithHooks(
        {
          cluster: lc.cluster,
          subject: subject("prod"),
          functions: {
            "notify-fn": {
              image: "notifier:1",
              command: ["notify"],
              args: ["${CHANNEL}", "${TARGET:=none}"],
            },
          },
          hooks: {
            post: [
              {
                name: "notify",
                hookTemplate: { name: "notify", namespace: "prod" },
                variables: [{ name: "TARGET", value: "orders-db" }],
                template: {
                  apiVersion: "core.kubestash.com/v1alpha1",
                  kind: "HookTemplate",
                  metadata: { name: "notify", namespace: "prod" },
                  spec: {
                    params: [{ name: "CHANNEL", default: "#ops" }],
                    // A Function executor needs no action: the Function's container is the hook.
                    executor: { type: "Function", function: { name: "notify-fn" } },
                  },
                },
              },
            ],
          },
        },
        async () => {},
      );
      expect(result.outcome).toBe("succeeded");
      expect(runs).toHaveLength(1);
      expect(runs[0]?.argv).toEqual(["notify", "#ops", "orders-db"]);
      expect(runs[0]?.env.TARGET).toBe("orders-db");
      expect(result.hooks[0]?.targets[0]).toMatchObject({
        status: "succeeded",
        exitCode: 0,
        stdout: "sent\n",
      });
    } finally {
      undo();
    }
  });
});
