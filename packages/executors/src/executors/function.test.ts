// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings use KubeStash ${VAR:=default} syntax on purpose
import { ErrorCodes } from "@quiesce/core";
import type { LocalCluster } from "@quiesce/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeExecutorConformance } from "../executor.conformance.js";
import { runAction } from "../run-action.js";
import { fastCluster } from "../test-support/local.js";

describeExecutorConformance("Function, a Job on the local cluster (scripted runtime)", async () => {
  const lc = await fastCluster();
  lc.runtime.onRun({ image: "hook-runner", command: "/hook ok" }, () => ({ stdout: "function-ok\n" }));
  lc.runtime.onRun({ image: "hook-runner", command: "/hook fail" }, () => ({
    stdout: "disk-full\n",
    exitCode: 3,
  }));
  lc.runtime.onRun(
    { image: "hook-runner", command: "/hook hang" },
    (ctx) => new Promise((r) => ctx.signal.addEventListener("abort", () => r({ exitCode: 137 }))),
  );
  // The Function defines no command, so the exec action's argv becomes the Job's command.
  const action = (mode: string) => ({ exec: { command: ["/hook", mode] } });
  return {
    base: {
      executor: { type: "Function", function: { name: "hook-runner", image: "hook-runner:1" } },
      namespace: "default",
      cluster: lc.cluster,
    },
    succeed: { action: action("ok"), marker: "function-ok" },
    fail: { action: action("fail"), marker: "disk-full", exitCode: 3 },
    hang: { action: action("hang") },
    possiblyStillRunningOnTimeout: true,
    targetKind: "Job",
    teardown: () => lc.stop(),
  };
});

describe("Function executor", () => {
  let lc: LocalCluster;
  beforeAll(async () => {
    lc = await fastCluster();
    lc.runtime.onRun({ image: "backup-tools" }, (ctx) => ({
      stdout: `argv=${ctx.argv.join(" ")}\nTARGET=${ctx.env.TARGET}\nMODE=${ctx.env.MODE}\naction=${ctx.env.QUIESCE_HOOK_ACTION}\n`,
    }));
  });
  afterAll(() => lc.stop());

  it("substitutes ${VAR:=default} from params and variables, and sets variables as env", async () => {
    const result = await runAction({
      action: { httpPost: { scheme: "HTTP", host: "hooks.example", port: 443, body: "{}" } },
      executor: { type: "Function", function: { name: "notify", env: [{ name: "MODE", value: "fast" }] } },
      namespace: "default",
      cluster: lc.cluster,
      params: { URL: "https://hooks.example/x" },
      variables: { TARGET: "db" },
      functions: {
        notify: {
          image: "backup-tools:${TAG:=1.2}",
          command: ["/notify"],
          args: ["--url=${URL}", "--target=${TARGET}", "--retries=${RETRIES:=3}"],
        },
      },
    });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe("succeeded");
    const out = result.targets[0]?.stdout ?? "";
    expect(out).toContain("argv=/notify --url=https://hooks.example/x --target=db --retries=3");
    expect(out).toContain("TARGET=db");
    expect(out).toContain("MODE=fast");
    expect(out).toContain(
      'action={"httpPost":{"host":"hooks.example","port":443,"scheme":"HTTP","body":"{}"}}',
    );
    expect(result.targets[0]?.name).toMatch(/^notify-hook-/);
    // The Job is cleaned up after it ran.
    const jobs = await lc.cluster.list({
      group: "batch",
      version: "v1",
      resource: "jobs",
      namespace: "default",
    });
    expect(jobs.items.filter((j) => j.metadata?.name?.startsWith("notify-hook-"))).toEqual([]);
  });

  it("reads a KubeStash Function object from the cluster", async () => {
    await lc.apply([
      {
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        metadata: { name: "functions.addons.kubestash.com" },
        spec: {
          group: "addons.kubestash.com",
          scope: "Cluster",
          names: { plural: "functions", singular: "function", kind: "Function", listKind: "FunctionList" },
          versions: [
            {
              name: "v1alpha1",
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
            },
          ],
        },
      },
      {
        apiVersion: "addons.kubestash.com/v1alpha1",
        kind: "Function",
        metadata: { name: "pg-backup-hook" },
        spec: { image: "backup-tools:2", command: ["/pg-hook"], args: ["--db=${DB:=postgres}"] },
      },
    ]);
    const result = await runAction({
      action: { exec: { command: ["ignored-because-the-function-has-a-command"] } },
      executor: { type: "Function", function: { name: "pg-backup-hook" } },
      namespace: "default",
      cluster: lc.cluster,
    });
    expect(result.status).toBe("succeeded");
    expect(result.targets[0]?.stdout).toContain("argv=/pg-hook --db=postgres");
  });

  it("fails with the API's reason when the Function does not exist", async () => {
    const result = await runAction({
      action: { exec: { command: ["x"] } },
      executor: { type: "Function", function: { name: "no-such-function" } },
      namespace: "default",
      cluster: lc.cluster,
    });
    expect(result.status).toBe("failed");
    expect(result.error?.code).toMatch(/^QUIESCE_KUBE_/);
    expect(result.error?.message).toContain("no-such-function");
  });

  it("fails with the workload's reason when the image cannot be pulled", async () => {
    const result = await runAction({
      action: { exec: { command: ["/hook"] } },
      executor: { type: "Function", function: { name: "broken", image: "hook-runner:does-not-exist" } },
      namespace: "default",
      cluster: lc.cluster,
      timeout: "10s",
    });
    expect(result.status).toBe("failed");
    expect(result.error?.code).toBe(ErrorCodes.KUBE_WORKLOAD_FAILED);
    expect(result.error?.message).toMatch(/does-not-exist|ImagePull|ErrImage/);
  });

  it("refuses to run without a cluster", async () => {
    await expect(
      runAction({
        action: { exec: { command: ["x"] } },
        executor: { type: "Function", function: { name: "f", image: "i" } },
        namespace: "default",
      }),
    ).rejects.toThrow(/needs a cluster/);
  });
});
