import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBlueprintAction } from "../runner/run-action.js";
import { blueprintOf, startEnv, statefulSet, type TestEnv, waitReady } from "../test-support/local.js";

let env: TestEnv;
let pods: string[];
const subject = { kind: "StatefulSet", namespace: "app", name: "db" };

beforeAll(async () => {
  env = await startEnv(["app"]);
  await env.lc.apply(statefulSet("app", "db", 3));
  pods = await waitReady(env.lc, "statefulsets", "app", "db", 3);
});
afterAll(() => env.lc.stop());

const run = (phases: unknown[]) =>
  runBlueprintAction(blueprintOf(phases), "run", {
    cluster: env.lc.cluster,
    registry: env.registry,
    subject,
  });

describe("KubeExec", () => {
  it("runs in the given container and returns outputs printed on stdout", async () => {
    const seen: string[] = [];
    const undo = env.lc.runtime.onExec({ command: /^bash -c/ }, (ctx) => {
      seen.push(`${ctx.pod}/${ctx.container}: ${ctx.argv.at(-1)}`);
      return { stdout: `flushed\n###Phase-output###: {"key":"lsn","value":"0/16B3748"}\n` };
    });
    try {
      const result = await run([
        {
          func: "KubeExec",
          name: "checkpoint",
          args: {
            namespace: "{{ .StatefulSet.Namespace }}",
            pod: "{{ index .StatefulSet.Pods 0 }}",
            container: "db",
            command: ["bash", "-c", "checkpoint {{ .StatefulSet.Name }}"],
          },
        },
      ]);
      expect(result.status).toBe("succeeded");
      expect(result.phases[0]?.output).toEqual({ lsn: "0/16B3748" });
      expect(seen).toEqual(["db-0/db: checkpoint db"]);
    } finally {
      undo();
    }
  });

  // Kanister pkg/function/kube_exec.go parseLogAndCreateOutput: no outputs is a nil map.
  it("leaves a nil Output when stdout holds no output line (toJson prints null)", async () => {
    const reported: string[] = [];
    const undoQuiet = env.lc.runtime.onExec({ command: /^quiet/ }, () => ({ stdout: "done\n" }));
    const undo = env.lc.runtime.onExec({ command: /^report/ }, (ctx) => {
      reported.push(ctx.argv.slice(1).join(" "));
      return {};
    });
    try {
      const result = await run([
        {
          func: "KubeExec",
          name: "quiet",
          args: {
            namespace: "app",
            pod: "{{ index .StatefulSet.Pods 0 }}",
            container: "db",
            command: ["quiet"],
          },
        },
        {
          func: "KubeExec",
          name: "report",
          args: {
            namespace: "app",
            pod: "{{ index .StatefulSet.Pods 0 }}",
            container: "db",
            command: ["report", "{{ toJson .Phases.quiet.Output }}"],
          },
        },
      ]);
      expect(result.status).toBe("succeeded");
      expect(result.phases[0]?.output).toEqual({});
      expect(reported).toEqual(["null"]);
    } finally {
      undo();
      undoQuiet();
    }
  });

  it("fails the phase on a non-zero exit, with the exit code and stderr", async () => {
    const undo = env.lc.runtime.onExec({ container: "sidecar" }, () => ({
      stderr: "no space left\n",
      exitCode: 3,
    }));
    try {
      const result = await run([
        {
          func: "KubeExec",
          name: "x",
          args: { namespace: "app", pod: "db-1", container: "sidecar", command: ["sync"] },
        },
      ]);
      expect(result.status).toBe("failed");
      const error = result.phases[0]?.error;
      expect(error?.code).toBe("QUIESCE_EXEC_NONZERO_EXIT");
      // Kanister pkg/kube/exec.go: "Failed to exec command in pod" around ExecError's text.
      expect(error?.message).toBe(
        "Failed to exec command in pod: command terminated with exit code 3.\nstdout: \nstderr: no space left",
      );
      expect(error?.details).toMatchObject({ exitCode: 3, stderr: "no space left\n" });
    } finally {
      undo();
    }
  });

  // Kanister pkg/kube/exec.go sends no container parameter then; the API server
  // (pkg/registry/core/pod/strategy.go) takes a pod's only container and refuses a pod of several.
  it("without a container runs in a pod's only container and refuses a pod of several, as the API server does", async () => {
    await env.lc.apply(`
apiVersion: v1
kind: Pod
metadata: { name: solo, namespace: app }
spec: { containers: [{ name: only, image: example/db:1 }] }
`);
    await env.lc.cluster.waitFor(
      { version: "v1", resource: "pods", namespace: "app", name: "solo" },
      (p) => (p?.status as { phase?: string } | undefined)?.phase === "Running",
      { timeoutMs: 10_000 },
    );
    const undo = env.lc.runtime.onExec({ command: "whoami" }, (ctx) => ({ stdout: `${ctx.container}\n` }));
    try {
      const solo = await run([
        { func: "KubeExec", name: "x", args: { namespace: "app", pod: "solo", command: ["whoami"] } },
      ]);
      expect(solo.status).toBe("succeeded");
      const multi = await run([
        { func: "KubeExec", name: "x", args: { namespace: "app", pod: "db-0", command: ["whoami"] } },
      ]);
      expect(multi.phases[0]?.error?.message).toBe(
        "Failed to exec command in pod: a container name must be specified for pod db-0, choose one of: [db sidecar].\nstdout: \nstderr: ",
      );
      expect(multi.phases[0]?.error?.code).toBe("QUIESCE_KUBE_INVALID");
    } finally {
      undo();
    }
  });

  // Kanister pkg/kube/exec.go: every error of the exec becomes an ExecError ("<err>.\nstdout: <tail>
  // \nstderr: <tail>") wrapped with "Failed to exec command in pod"; client-go says an API refusal
  // with the Status message alone. quiesce keeps its codes and details.
  it("words a missing pod, a missing container and a refused exec as Kanister does", async () => {
    const phase = (pod: string, container: string) => ({
      func: "KubeExec",
      name: "x",
      args: { namespace: "app", pod, container, command: ["sync"] },
    });
    const noPod = (await run([phase("nope", "db")])).phases[0]?.error;
    expect(noPod?.code).toBe("QUIESCE_KUBE_NOT_FOUND");
    expect(noPod?.message).toBe('Failed to exec command in pod: pods "nope" not found.\nstdout: \nstderr: ');
    const noContainer = (await run([phase("db-0", "nope")])).phases[0]?.error;
    expect(noContainer?.code).toBe("QUIESCE_KUBE_CONTAINER_NOT_FOUND");
    expect(noContainer?.message).toBe(
      "Failed to exec command in pod: container nope is not valid for pod db-0.\nstdout: \nstderr: ",
    );
    const refusal = env.lc.faults.add({ verb: "exec", status: 403 });
    try {
      const refused = (await run([phase("db-0", "db")])).phases[0]?.error;
      expect(refused?.code).toBe("QUIESCE_KUBE_FORBIDDEN");
      expect(refused?.message).toMatch(/^Failed to exec command in pod: [^\n]+\.\nstdout: \nstderr: $/);
      expect(refused?.message).not.toContain("pods/exec");
      expect(refused?.details).toMatchObject({ statusCode: 403 });
    } finally {
      refusal.remove();
    }
  });

  it("keeps the tails of what arrived when the connection is cut", async () => {
    const undo = env.lc.runtime.onExec({ command: "chatty" }, async (ctx) => {
      await ctx.stdout("first\nsecond\n");
      await new Promise<void>((resolve) =>
        ctx.signal.addEventListener("abort", () => resolve(), { once: true }),
      );
      return {};
    });
    const cut = env.lc.faults.dropExecAfter(13, { pod: "db-2" });
    try {
      const result = await run([
        {
          func: "KubeExec",
          name: "x",
          args: { namespace: "app", pod: "db-2", container: "db", command: ["chatty"] },
        },
      ]);
      const error = result.phases[0]?.error;
      expect(error?.code).toBe("QUIESCE_KUBE_API");
      expect(error?.message).toMatch(/^Failed to exec command in pod: .*exec stream ended without a status/);
      expect(error?.message).toMatch(/\.\nstdout: first\r\nsecond\nstderr: $/);
      expect(error?.details).toMatchObject({ stdout: "first\nsecond\n" });
    } finally {
      cut.remove();
      undo();
    }
  });

  it("fails the phase when an output line is malformed", async () => {
    const undo = env.lc.runtime.onExec({ command: "report" }, () => ({
      stdout: "###Phase-output###: {oops\n",
    }));
    try {
      const result = await run([
        {
          func: "KubeExec",
          name: "x",
          args: { namespace: "app", pod: "db-0", container: "db", command: ["report"] },
        },
      ]);
      expect(result.phases[0]?.error?.code).toBe("QUIESCE_OUTPUT_MALFORMED");
    } finally {
      undo();
    }
  });
});

describe("KubeExecAll", () => {
  it("runs in every pod × container and merges the outputs", async () => {
    const seen: string[] = [];
    const undo = env.lc.runtime.onExec({ command: /^hostname-out/ }, (ctx) => {
      seen.push(`${ctx.pod}/${ctx.container}`);
      return { stdout: `###Phase-output###: {"key":"${ctx.pod}_${ctx.container}","value":"ok"}\n` };
    });
    const before = env.lc.faults.requests.length;
    try {
      const result = await run([
        {
          func: "KubeExecAll",
          name: "all",
          args: {
            namespace: "{{ .StatefulSet.Namespace }}",
            pods: "{{ range .StatefulSet.Pods }} {{.}}{{end}}",
            containers: "db sidecar",
            command: ["hostname-out"],
          },
        },
      ]);
      expect(result.status).toBe("succeeded");
      expect(seen.sort()).toEqual(pods.flatMap((p) => [`${p}/db`, `${p}/sidecar`]).sort());
      expect(Object.keys(result.phases[0]?.output ?? {}).sort()).toEqual(
        pods.flatMap((p) => [`${p}_db`, `${p}_sidecar`]).sort(),
      );
      // The pods are listed once; each exec is then a single request, with no GET of its pod.
      const podGets = env.lc.faults.requests
        .slice(before)
        .filter((r) => r.verb === "get" && r.resource === "pods" && pods.includes(r.name ?? ""));
      expect(podGets).toEqual([]);
    } finally {
      undo();
    }
  });

  // Kanister pkg/function/kube_exec_all.go decodes pods into a string; a list does not decode.
  it("refuses a list of pods, as Kanister's decoding does", async () => {
    const result = await run([
      {
        func: "KubeExecAll",
        name: "all",
        args: { namespace: "app", pods: ["db-0"], containers: "db", command: ["x"] },
      },
    ]);
    expect(result.phases[0]?.error?.code).toBe("QUIESCE_VALIDATION");
    expect(result.phases[0]?.error?.message).toContain("actions.run.phases[0].args.pods");
  });

  it("words a pod that is not there as Kanister does, among the other pods' results", async () => {
    const undo = env.lc.runtime.onExec({ command: "quiesce-some" }, () => ({}));
    try {
      const result = await run([
        {
          func: "KubeExecAll",
          name: "all",
          args: { namespace: "app", pods: "db-0 gone-0", containers: "db", command: ["quiesce-some"] },
        },
      ]);
      const error = result.phases[0]?.error;
      expect(error?.message).toBe(
        'Failed to exec command in pod: pods "gone-0" not found.\nstdout: \nstderr: ',
      );
      expect(error?.details?.failures).toMatchObject([
        { pod: "gone-0", error: { code: "QUIESCE_KUBE_NOT_FOUND" } },
      ]);
    } finally {
      undo();
    }
  });

  // Kanister pkg/function/kube_exec_all.go execAll: the outputs are parsed once every command
  // succeeded — a failed command is the error then, not a malformed line of another pod.
  it("reports a malformed output line only when every command succeeded, on its own", async () => {
    const undo = env.lc.runtime.onExec({ command: /^report-all/ }, (ctx) =>
      ctx.pod === "db-0"
        ? { stdout: "###Phase-output###: {oops\n" }
        : ctx.argv[1] === "fail" && ctx.pod === "db-1"
          ? { stderr: "locked\n", exitCode: 1 }
          : { stdout: '###Phase-output###: {"key":"k","value":"v"}\n' },
    );
    const phase = (extra: string[]) => ({
      func: "KubeExecAll",
      name: "all",
      args: { namespace: "app", pods: "db-0 db-1", containers: "db", command: ["report-all", ...extra] },
    });
    try {
      const failed = (await run([phase(["fail"])])).phases[0]?.error;
      expect(failed?.message).toBe(
        "Failed to exec command in pod: command terminated with exit code 1.\nstdout: \nstderr: locked",
      );
      const malformed = (await run([phase([])])).phases[0]?.error;
      expect(malformed?.code).toBe("QUIESCE_OUTPUT_MALFORMED");
      expect(malformed?.message).toBe(
        "Failed to unmarshal key-value pair: invalid character 'o' looking for beginning of object key string",
      );
    } finally {
      undo();
    }
  });

  it("reports every failure together", async () => {
    const undo = env.lc.runtime.onExec({ command: "quiesce-all" }, (ctx) =>
      ctx.pod === "db-1" ? { stdout: "" } : { stderr: "locked\n", exitCode: 1 },
    );
    try {
      const result = await run([
        {
          func: "KubeExecAll",
          name: "all",
          args: {
            namespace: "app",
            pods: "db-0 db-1 db-2",
            containers: "db",
            command: ["quiesce-all"],
          },
        },
      ]);
      const error = result.phases[0]?.error;
      // Kanister pkg/function/kube_exec_all.go execAll: the failures' messages joined by "\n".
      expect(error?.message).toBe(
        [
          "Failed to exec command in pod: command terminated with exit code 1.",
          "stdout: ",
          "stderr: locked",
          "Failed to exec command in pod: command terminated with exit code 1.",
          "stdout: ",
          "stderr: locked",
        ].join("\n"),
      );
      expect((error?.details?.failures as Array<{ pod: string }> | undefined)?.map((f) => f.pod)).toEqual([
        "db-0",
        "db-2",
      ]);
    } finally {
      undo();
    }
  });
});
