/** Conformance cases: one-off pods and jobs — success, failure, pods that cannot start, cleanup. */
import { describe, expect, it } from "vitest";
import { commands } from "../scripts.js";
import { expectCode } from "./expect-error.js";
import type { SuiteContext } from "./suite-context.js";

export function runCases(ctx: SuiteContext): void {
  describe("runPod", () => {
    it("runs a pod to success, collects its log and deletes it", async () => {
      const chunks: string[] = [];
      const result = await ctx.cluster.runPod(
        { namespace: ctx.namespace, image: ctx.image, command: commands.taskOk.argv, labels: { run: "ok" } },
        { timeoutMs: 120_000, onLog: (c) => chunks.push(Buffer.from(c).toString()) },
      );
      expect(result).toMatchObject({
        namespace: ctx.namespace,
        phase: "Succeeded",
        exitCode: 0,
        logs: "hello from task\n",
        logsTruncated: false,
      });
      expect(result.podName).toMatch(/^quiesce-task-/);
      expect(chunks.join("")).toBe("hello from task\n");
      await ctx.cluster.waitFor(
        { version: "v1", resource: "pods", namespace: ctx.namespace, name: result.podName },
        (p) => p === undefined,
        {
          timeoutMs: 60_000,
        },
      );
    });

    it("reports a failing pod's exit code and log, and keeps it when asked", async () => {
      const result = await ctx.cluster.runPod(
        {
          namespace: ctx.namespace,
          image: ctx.image,
          command: commands.taskFail.argv,
          keep: true,
          generateName: "kept-",
        },
        { timeoutMs: 120_000 },
      );
      expect(result).toMatchObject({ phase: "Failed", exitCode: 3, logs: "about to fail\n" });
      expect(result.podName).toMatch(/^kept-/);
      const kept = await ctx.cluster.get({
        version: "v1",
        resource: "pods",
        namespace: ctx.namespace,
        name: result.podName,
      });
      expect((kept.status as { phase: string }).phase).toBe("Failed");
    });

    it("fails fast, naming the reason, when the image cannot be pulled", async () => {
      const err = await expectCode(
        ctx.cluster.runPod(
          { namespace: ctx.namespace, image: ctx.badImage, command: ["true"] },
          { timeoutMs: 120_000 },
        ),
        "QUIESCE_KUBE_WORKLOAD_FAILED",
      );
      expect(String(err.details.reason)).toMatch(/ErrImagePull|ImagePullBackOff/);
      expect(err.message).toMatch(/ErrImagePull|ImagePullBackOff/);
    });

    it("applies podOverride to the generated pod", async () => {
      const result = await ctx.cluster.runPod(
        {
          namespace: ctx.namespace,
          image: ctx.image,
          command: commands.taskOk.argv,
          keep: true,
          podOverride: {
            containers: [{ name: "container", env: [{ name: "FROM_OVERRIDE", value: "1" }] }],
            activeDeadlineSeconds: 600,
          },
        },
        { timeoutMs: 120_000 },
      );
      const pod = await ctx.cluster.get({
        version: "v1",
        resource: "pods",
        namespace: ctx.namespace,
        name: result.podName,
      });
      const spec = pod.spec as {
        activeDeadlineSeconds: number;
        containers: { name: string; image: string; env: { name: string }[] }[];
      };
      expect(spec.activeDeadlineSeconds).toBe(600);
      expect(spec.containers[0]).toMatchObject({
        name: "container",
        image: ctx.image,
        env: [{ name: "FROM_OVERRIDE", value: "1" }],
      });
    });

    it("times out with QUIESCE_TIMEOUT and still deletes the pod", async () => {
      const before = (await ctx.cluster.selectPods(ctx.namespace, { selector: "run=slow" })).length;
      await expectCode(
        ctx.cluster.runPod(
          {
            namespace: ctx.namespace,
            image: ctx.image,
            command: commands.slow.argv,
            labels: { run: "slow" },
          },
          { timeoutMs: 500 },
        ),
        "QUIESCE_TIMEOUT",
      );
      expect(before).toBe(0);
      const left = await ctx.cluster.selectPods(ctx.namespace, { selector: "run=slow" });
      expect(left.every((p) => p.metadata?.deletionTimestamp !== undefined)).toBe(true);
    });
  });

  describe("withPod", () => {
    const gone = (name: string) =>
      ctx.cluster.waitFor(
        { version: "v1", resource: "pods", namespace: ctx.namespace, name },
        (p) => p === undefined,
        {
          timeoutMs: 60_000,
        },
      );

    it("keeps a pod up while the body execs into it, then deletes it", async () => {
      let seen = "";
      const result = await ctx.cluster.withPod(
        {
          namespace: ctx.namespace,
          image: ctx.image,
          command: commands.slow.argv,
          generateName: "with-pod-",
        },
        async (pod) => {
          seen = pod.pod;
          expect(pod.object.status?.phase).toBe("Running");
          return ctx.cluster.exec(pod, commands.mixed.argv, { pod: pod.object, timeoutMs: 60_000 });
        },
        { readyTimeoutMs: 120_000 },
      );
      expect(seen).toMatch(/^with-pod-/);
      expect(result).toMatchObject({ pod: seen, container: "container", exitCode: 3, stdout: "out\n" });
      await gone(seen);
    });

    it("deletes the pod when the body fails, and rejects with the body's error", async () => {
      let seen = "";
      await expect(
        ctx.cluster.withPod(
          { namespace: ctx.namespace, image: ctx.image, command: commands.slow.argv },
          async (pod) => {
            seen = pod.pod;
            throw new Error("body failed");
          },
        ),
      ).rejects.toThrow("body failed");
      await gone(seen);
    });

    it("fails fast, naming the reason, when the pod cannot start", async () => {
      let ran = false;
      const err = await expectCode(
        ctx.cluster.withPod(
          { namespace: ctx.namespace, image: ctx.badImage, command: ["true"] },
          async () => {
            ran = true;
          },
        ),
        "QUIESCE_KUBE_WORKLOAD_FAILED",
      );
      expect(ran).toBe(false);
      expect(err.message).toMatch(/ErrImagePull|ImagePullBackOff/);
    });
  });

  describe("runJob", () => {
    const template = (argv: string[]) => ({
      metadata: { labels: { job: "conformance" } },
      spec: { containers: [{ name: "task", image: ctx.image, command: argv }] },
    });

    it("runs a job to completion and returns its pod's log", async () => {
      const result = await ctx.cluster.runJob(
        { namespace: ctx.namespace, template: template(commands.taskOk.argv) },
        { timeoutMs: 120_000 },
      );
      expect(result).toMatchObject({ phase: "Succeeded", exitCode: 0, logs: "hello from task\n" });
      expect(result.jobName).toMatch(/^quiesce-job-/);
      await ctx.cluster.waitFor(
        {
          group: "batch",
          version: "v1",
          resource: "jobs",
          namespace: ctx.namespace,
          name: result.jobName ?? "",
        },
        (j) => j === undefined,
        { timeoutMs: 60_000 },
      );
    });

    it("reports a failed job with its exit code (no retries by default)", async () => {
      const result = await ctx.cluster.runJob(
        { namespace: ctx.namespace, template: template(commands.taskFail.argv), keep: true },
        { timeoutMs: 120_000 },
      );
      expect(result).toMatchObject({ phase: "Failed", exitCode: 3, logs: "about to fail\n" });
      const job = await ctx.cluster.get({
        group: "batch",
        version: "v1",
        resource: "jobs",
        namespace: ctx.namespace,
        name: result.jobName ?? "",
      });
      expect((job.spec as { backoffLimit: number }).backoffLimit).toBe(0);
    });
  });
}
