/**
 * Basic kubectl operations against the local cluster (HTTPS, process runtime), each checked by
 * what kubectl printed or what the cluster then holds. They run in order: later ones use what
 * earlier ones created, in namespace `kc`.
 */
import { readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { LocalCluster } from "../local-cluster.js";
import type { ProcessRuntime } from "../runtime/process.js";
import { type CommandResult, type Operation, type RunOptions, runCommand } from "./run-client.js";

/** What the operations run with. */
export interface KubectlContext {
  lc: LocalCluster<ProcessRuntime>;
  /** The kubectl executable. */
  kubectl: string;
  /** A scratch directory (also kubectl's HOME, for its discovery cache). */
  dir: string;
  /** kubectl's minor version (operations newer than the client are not run). */
  minor: number;
}

/** An operation, and the first kubectl minor version that has it. */
export interface KubectlOperation extends Operation<KubectlContext> {
  since?: number;
}

const NS = "kc";

function kubectl(
  ctx: KubectlContext,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CommandResult> {
  return runCommand(ctx.kubectl, ["--kubeconfig", ctx.lc.kubeconfigPath, ...args], {
    env: { HOME: ctx.dir, KUBECONFIG: ctx.lc.kubeconfigPath },
    cwd: ctx.dir,
    ...options,
  });
}

/** Runs kubectl and returns stdout; a non-zero exit is thrown with stderr's first line. */
async function ok(ctx: KubectlContext, args: readonly string[], options: RunOptions = {}): Promise<string> {
  const r = await kubectl(ctx, args, options);
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${(r.stderr.trim() || r.stdout.trim()).split("\n")[0]}`);
  return r.stdout;
}

function expectText(text: string, pattern: RegExp | string): void {
  const found = typeof pattern === "string" ? text.includes(pattern) : pattern.test(text);
  if (!found) throw new Error(`expected ${String(pattern)} in: ${text.trim().slice(0, 200)}`);
}

const op = (name: string, run: (ctx: KubectlContext) => Promise<void>, since?: number): KubectlOperation => ({
  name,
  run,
  ...(since === undefined ? {} : { since }),
});

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: ${NS}, labels: { app: api } }
spec:
  replicas: 1
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec: { containers: [{ name: api, image: busybox:1 }] }
`;

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: backups.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { plural: backups, singular: backup, kind: Backup, shortNames: [bk] }
  versions:
    - name: v1
      served: true
      storage: true
      schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } }
`;

/** The operations, in the order they run. */
export const KUBECTL_OPERATIONS: readonly KubectlOperation[] = [
  op("version", async (ctx) =>
    expectText(await ok(ctx, ["version"]), /Server Version: .*v1\.33\.0\+quiesce/),
  ),
  op("cluster-info", async (ctx) => expectText(await ok(ctx, ["cluster-info"]), "is running at")),
  op("api-versions", async (ctx) => expectText(await ok(ctx, ["api-versions"]), "apps/v1")),
  op("api-resources", async (ctx) =>
    expectText(await ok(ctx, ["api-resources"]), /deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/),
  ),
  op("get namespaces", async (ctx) => expectText(await ok(ctx, ["get", "namespaces"]), /default\s+Active/)),
  op("create namespace", async (ctx) =>
    expectText(await ok(ctx, ["create", "namespace", NS]), `namespace/${NS} created`),
  ),
  op("create configmap", async (ctx) => {
    await ok(ctx, ["-n", NS, "create", "configmap", "settings", "--from-literal=mode=fast"]);
    expectText(
      await ok(ctx, ["-n", NS, "get", "configmap", "settings", "-o", "jsonpath={.data.mode}"]),
      "fast",
    );
  }),
  op("create secret generic", async (ctx) => {
    await ok(ctx, ["-n", NS, "create", "secret", "generic", "creds", "--from-literal=password=s3cret"]);
    const b64 = await ok(ctx, ["-n", NS, "get", "secret", "creds", "-o", "jsonpath={.data.password}"]);
    if (Buffer.from(b64, "base64").toString() !== "s3cret") throw new Error(`password is ${b64}`);
  }),
  op("get -o yaml", async (ctx) =>
    expectText(
      await ok(ctx, ["-n", NS, "get", "configmap", "settings", "-o", "yaml"]),
      /mode: fast[\s\S]*kind: ConfigMap/,
    ),
  ),
  op("label", async (ctx) => {
    await ok(ctx, ["-n", NS, "label", "configmap", "settings", "tier=gold"]);
    expectText(
      await ok(ctx, ["-n", NS, "get", "configmaps", "-l", "tier=gold", "-o", "name"]),
      "configmap/settings",
    );
  }),
  op("annotate", async (ctx) => {
    await ok(ctx, ["-n", NS, "annotate", "configmap", "settings", "owner=team-a"]);
    expectText(
      await ok(ctx, [
        "-n",
        NS,
        "get",
        "configmap",
        "settings",
        "-o",
        "jsonpath={.metadata.annotations.owner}",
      ]),
      "team-a",
    );
  }),
  op("patch (strategic merge)", async (ctx) => {
    await ok(ctx, ["-n", NS, "patch", "configmap", "settings", "-p", '{"data":{"extra":"1"}}']);
    expectText(
      await ok(ctx, ["-n", NS, "get", "configmap", "settings", "-o", "jsonpath={.data.extra}"]),
      "1",
    );
  }),
  op("patch --type merge", async (ctx) => {
    await ok(ctx, [
      "-n",
      NS,
      "patch",
      "configmap",
      "settings",
      "--type",
      "merge",
      "-p",
      '{"data":{"extra":null}}',
    ]);
    const data = await ok(ctx, ["-n", NS, "get", "configmap", "settings", "-o", "jsonpath={.data}"]);
    if (data.includes("extra")) throw new Error(`extra still there: ${data}`);
  }),
  op("patch --type json", async (ctx) => {
    await ok(ctx, [
      "-n",
      NS,
      "patch",
      "configmap",
      "settings",
      "--type",
      "json",
      "-p",
      '[{"op":"replace","path":"/data/mode","value":"slow"}]',
    ]);
    expectText(
      await ok(ctx, ["-n", NS, "get", "configmap", "settings", "-o", "jsonpath={.data.mode}"]),
      "slow",
    );
  }),
  op("apply -f (create)", async (ctx) => {
    await writeFile(join(ctx.dir, "deploy.yaml"), DEPLOYMENT);
    expectText(await ok(ctx, ["apply", "-f", "deploy.yaml"]), "deployment.apps/api created");
  }),
  op("rollout status", async (ctx) =>
    expectText(
      await ok(ctx, ["-n", NS, "rollout", "status", "deployment/api", "--timeout=30s"]),
      "successfully rolled out",
    ),
  ),
  op("apply -f (unchanged)", async (ctx) =>
    expectText(await ok(ctx, ["apply", "-f", "deploy.yaml"]), "deployment.apps/api unchanged"),
  ),
  op("diff", async (ctx) => {
    await writeFile(join(ctx.dir, "deploy2.yaml"), DEPLOYMENT.replace("replicas: 1", "replicas: 3"));
    const r = await kubectl(ctx, ["diff", "-f", "deploy2.yaml"]);
    if (r.code !== 1) throw new Error(`exit ${r.code}: ${r.stderr.trim().split("\n")[0]}`);
    expectText(r.stdout, "+  replicas: 3");
  }),
  op("apply --server-side", async (ctx) => {
    await writeFile(
      join(ctx.dir, "cm.yaml"),
      `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ssa, namespace: ${NS} }\ndata: { a: "1" }\n`,
    );
    expectText(
      await ok(ctx, ["apply", "--server-side", "-f", "cm.yaml"]),
      "configmap/ssa serverside-applied",
    );
  }),
  op("scale", async (ctx) => {
    await ok(ctx, ["-n", NS, "scale", "deployment/api", "--replicas=2"]);
    await ok(ctx, ["-n", NS, "rollout", "status", "deployment/api", "--timeout=30s"]);
    expectText(
      await ok(ctx, ["-n", NS, "get", "deployment", "api", "-o", "jsonpath={.status.readyReplicas}"]),
      "2",
    );
  }),
  op("get pods -l", async (ctx) => {
    const names = (await ok(ctx, ["-n", NS, "get", "pods", "-l", "app=api", "-o", "name"]))
      .trim()
      .split("\n");
    if (names.length !== 2) throw new Error(`pods: ${names.join(", ")}`);
  }),
  op("get pods -o wide", async (ctx) =>
    expectText(
      await ok(ctx, ["-n", NS, "get", "pods", "-o", "wide"]),
      /api-\S+\s+1\/1\s+Running.*127\.0\.0\.1/,
    ),
  ),
  op("get --field-selector", async (ctx) =>
    expectText(
      await ok(ctx, ["-n", NS, "get", "pods", "--field-selector", "status.phase=Running", "-o", "name"]),
      "pod/api-",
    ),
  ),
  op("describe deployment", async (ctx) =>
    expectText(await ok(ctx, ["-n", NS, "describe", "deployment", "api"]), /Replicas:\s+2 desired/),
  ),
  op("run pod", async (ctx) => {
    await ok(ctx, ["-n", NS, "run", "web", "--image=busybox:1", "--labels=app=web"]);
    await ok(ctx, ["-n", NS, "wait", "--for=condition=Ready", "pod/web", "--timeout=30s"]);
  }),
  op("describe pod", async (ctx) =>
    expectText(await ok(ctx, ["-n", NS, "describe", "pod", "web"]), /Status:\s+Running/),
  ),
  op("exec", async (ctx) =>
    expectText(await ok(ctx, ["-n", NS, "exec", "web", "--", "echo", "hello from web"]), "hello from web"),
  ),
  op("exec exit code", async (ctx) => {
    const r = await kubectl(ctx, ["-n", NS, "exec", "web", "--", "sh", "-c", "exit 3"]);
    if (r.code !== 3) throw new Error(`exit ${r.code}`);
  }),
  op("exec -i (stdin)", async (ctx) =>
    expectText(
      await ok(ctx, ["-n", NS, "exec", "-i", "web", "--", "cat"], { stdin: "piped in\n" }),
      "piped in",
    ),
  ),
  op("cp to pod", async (ctx) => {
    await writeFile(join(ctx.dir, "notes.txt"), "remember the milk\n");
    await ok(ctx, ["-n", NS, "cp", "notes.txt", "web:/tmp/notes.txt"]);
    expectText(await ok(ctx, ["-n", NS, "exec", "web", "--", "cat", "/tmp/notes.txt"]), "remember the milk");
  }),
  op("cp from pod", async (ctx) => {
    await ok(ctx, ["-n", NS, "cp", "web:/tmp/notes.txt", "back.txt"]);
    const text = await readFile(join(ctx.dir, "back.txt"), "utf8");
    if (text !== "remember the milk\n") throw new Error(`got ${JSON.stringify(text)}`);
  }),
  op("port-forward", async (ctx) => {
    const server = createServer((req, res) => res.end(`pod says ${req.url}`));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const podPort = (server.address() as AddressInfo).port;
    let answer = "";
    try {
      const r = await kubectl(ctx, ["-n", NS, "port-forward", "pod/web", `:${podPort}`], {
        until: /Forwarding from 127\.0\.0\.1:(\d+)/,
        timeoutMs: 20_000,
        whileRunning: async (stdout) => {
          const local = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(stdout)?.[1];
          answer = await (await fetch(`http://127.0.0.1:${local}/ping`)).text();
        },
      });
      if (answer !== "pod says /ping")
        throw new Error(`answer ${JSON.stringify(answer)}; ${r.stderr.trim().split("\n")[0]}`);
    } finally {
      server.close();
    }
  }),
  op("logs", async (ctx) => {
    await ok(ctx, [
      "-n",
      NS,
      "run",
      "logger",
      "--image=busybox:1",
      "--restart=Never",
      "--",
      "sh",
      "-c",
      "echo line-1; sleep 0.3; echo line-2",
    ]);
    expectText(await ok(ctx, ["-n", NS, "logs", "-f", "logger"]), /line-1\nline-2/);
    expectText(await ok(ctx, ["-n", NS, "logs", "logger", "--tail=1"]), "line-2");
  }),
  op(
    "wait --for=jsonpath",
    async (ctx) => {
      await ok(ctx, [
        "-n",
        NS,
        "wait",
        "--for=jsonpath={.status.phase}=Succeeded",
        "pod/logger",
        "--timeout=30s",
      ]);
    },
    23,
  ),
  op("create job and wait", async (ctx) => {
    await ok(ctx, [
      "-n",
      NS,
      "create",
      "job",
      "report",
      "--image=busybox:1",
      "--",
      "sh",
      "-c",
      "echo report done",
    ]);
    await ok(ctx, ["-n", NS, "wait", "--for=condition=complete", "job/report", "--timeout=30s"]);
    expectText(await ok(ctx, ["-n", NS, "logs", "job/report"]), "report done");
  }),
  // Before 1.21, kubectl creates batch/v1beta1 CronJobs, which 1.25+ API servers no longer serve.
  op(
    "create cronjob",
    async (ctx) => {
      await ok(ctx, [
        "-n",
        NS,
        "create",
        "cronjob",
        "nightly",
        "--image=busybox:1",
        "--schedule=0 3 * * *",
        "--",
        "date",
      ]);
      expectText(
        await ok(ctx, ["-n", NS, "get", "cronjob", "nightly", "-o", "jsonpath={.spec.schedule}"]),
        "0 3 * * *",
      );
    },
    21,
  ),
  op("create deployment", async (ctx) => {
    await ok(ctx, ["-n", NS, "create", "deployment", "worker", "--image=busybox:1", "--replicas=1"]);
    await ok(ctx, ["-n", NS, "rollout", "status", "deployment/worker", "--timeout=30s"]);
  }),
  op("expose deployment", async (ctx) => {
    await ok(ctx, ["-n", NS, "expose", "deployment", "api", "--port=80", "--target-port=8080"]);
    expectText(
      await ok(ctx, ["-n", NS, "get", "service", "api", "-o", "jsonpath={.spec.ports[0].port}"]),
      "80",
    );
  }),
  op("create service", async (ctx) =>
    expectText(
      await ok(ctx, ["-n", NS, "create", "service", "clusterip", "db", "--tcp=5432:5432"]),
      "service/db created",
    ),
  ),
  op("create serviceaccount", async (ctx) =>
    expectText(
      await ok(ctx, ["-n", NS, "create", "serviceaccount", "backup"]),
      "serviceaccount/backup created",
    ),
  ),
  op("set image", async (ctx) => {
    await ok(ctx, ["-n", NS, "set", "image", "deployment/api", "api=busybox:2"]);
    await ok(ctx, ["-n", NS, "rollout", "status", "deployment/api", "--timeout=30s"]);
  }),
  op("rollout history", async (ctx) =>
    expectText(await ok(ctx, ["-n", NS, "rollout", "history", "deployment/api"]), /REVISION[\s\S]*2/),
  ),
  op("rollout undo", async (ctx) => {
    await ok(ctx, ["-n", NS, "rollout", "undo", "deployment/api"]);
    await ok(ctx, ["-n", NS, "rollout", "status", "deployment/api", "--timeout=30s"]);
    expectText(
      await ok(ctx, [
        "-n",
        NS,
        "get",
        "deployment",
        "api",
        "-o",
        "jsonpath={.spec.template.spec.containers[0].image}",
      ]),
      "busybox:1",
    );
  }),
  op("rollout restart", async (ctx) => {
    await ok(ctx, ["-n", NS, "rollout", "restart", "deployment/worker"]);
    await ok(ctx, ["-n", NS, "rollout", "status", "deployment/worker", "--timeout=30s"]);
  }),
  op("get all", async (ctx) => expectText(await ok(ctx, ["-n", NS, "get", "all"]), "deployment.apps/api")),
  op("get -w", async (ctx) => {
    const r = await kubectl(ctx, ["-n", NS, "get", "pods", "-w"], {
      until: /web\s+1\/1\s+Running/,
      timeoutMs: 15_000,
    });
    if (r.code !== 0) throw new Error(`no watch output: ${r.stderr.trim().split("\n")[0]}`);
  }),
  op("get events", async (ctx) => expectText(await ok(ctx, ["-n", NS, "get", "events"]), "Scheduled")),
  op("custom resource", async (ctx) => {
    await writeFile(join(ctx.dir, "crd.yaml"), CRD);
    await ok(ctx, ["apply", "-f", "crd.yaml"]);
    await writeFile(
      join(ctx.dir, "bk.yaml"),
      `apiVersion: example.com/v1\nkind: Backup\nmetadata: { name: nightly, namespace: ${NS} }\nspec: { keep: 3 }\n`,
    );
    await ok(ctx, ["apply", "-f", "bk.yaml"]);
    expectText(await ok(ctx, ["-n", NS, "get", "bk", "nightly", "-o", "jsonpath={.spec.keep}"]), "3");
  }),
  op("replace -f", async (ctx) => {
    await writeFile(
      join(ctx.dir, "bk.yaml"),
      `apiVersion: example.com/v1\nkind: Backup\nmetadata: { name: nightly, namespace: ${NS} }\nspec: { keep: 5 }\n`,
    );
    await ok(ctx, ["replace", "-f", "bk.yaml"]);
    expectText(await ok(ctx, ["-n", NS, "get", "backups", "nightly", "-o", "jsonpath={.spec.keep}"]), "5");
  }),
  op("auth can-i", async (ctx) =>
    expectText(await ok(ctx, ["auth", "can-i", "create", "pods", "-n", NS]), "yes"),
  ),
  op("auth can-i --list", async (ctx) => expectText(await ok(ctx, ["auth", "can-i", "--list"]), "*.*")),
  op(
    "auth whoami",
    async (ctx) => expectText(await ok(ctx, ["auth", "whoami"]), /Username\s+quiesce-local-admin/),
    27,
  ),
  op("explain", async (ctx) =>
    expectText(await ok(ctx, ["explain", "deployment.spec.replicas"]), /FIELD:\s+replicas\s+<integer>/),
  ),
  op("delete pod", async (ctx) => {
    await ok(ctx, ["-n", NS, "delete", "pod", "web", "--wait=true", "--timeout=30s"]);
    const r = await kubectl(ctx, ["-n", NS, "get", "pod", "web"]);
    expectText(r.stderr, "NotFound");
  }),
  op("delete -f", async (ctx) =>
    expectText(
      await ok(ctx, ["delete", "-f", "deploy.yaml", "--timeout=30s"]),
      'deployment.apps "api" deleted',
    ),
  ),
  op("delete namespace", async (ctx) => {
    await ok(ctx, ["delete", "namespace", NS, "--timeout=60s"]);
    await ok(ctx, ["delete", "-f", "crd.yaml"]);
  }),
];
