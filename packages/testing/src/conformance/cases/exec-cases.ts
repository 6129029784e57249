/** Conformance cases: exec exit codes, streams, stdin, capture limits, timeouts and target errors. */
import { ExecTimeoutError } from "@quiesce/kube";
import { beforeAll, describe, expect, it } from "vitest";
import { BIG_OUTPUT_BYTES, commands } from "../scripts.js";
import { expectCode } from "./expect-error.js";
import type { SuiteContext } from "./suite-context.js";

export function execCases(ctx: SuiteContext): void {
  describe("exec", () => {
    const pod = "exec-target";
    const ref = () => ({ namespace: ctx.namespace, pod });

    beforeAll(async () => {
      await ctx.runningPod(pod, {
        containers: ["app", "sidecar"],
        annotations: { "kubectl.kubernetes.io/default-container": "sidecar" },
      });
    }, 120_000);

    it("returns the exit code, stdout and stderr of a command, whatever the exit code", async () => {
      const result = await ctx.cluster.exec(ref(), commands.mixed.argv);
      expect(result).toMatchObject({
        pod,
        exitCode: 3,
        stdout: "out\n",
        stderr: "err\n",
        stdoutTruncated: false,
        stderrTruncated: false,
        stdoutDroppedBytes: 0,
      });
      expect((await ctx.cluster.exec(ref(), commands.ok.argv)).exitCode).toBe(0);
    });

    it("defaults to the pod's default-container annotation and honours an explicit container", async () => {
      expect((await ctx.cluster.exec(ref(), commands.ok.argv)).container).toBe("sidecar");
      expect((await ctx.cluster.exec({ ...ref(), container: "app" }, commands.ok.argv)).container).toBe(
        "app",
      );
    });

    it("sends stdin as a string, bytes or a stream", async () => {
      expect((await ctx.cluster.exec(ref(), commands.cat.argv, { stdin: "hello\n" })).stdout).toBe("hello\n");
      expect(
        (await ctx.cluster.exec(ref(), commands.cat.argv, { stdin: new TextEncoder().encode("bytes") }))
          .stdout,
      ).toBe("bytes");
      async function* parts() {
        for (const p of ["a", "b", "c"]) yield new TextEncoder().encode(p);
      }
      expect((await ctx.cluster.exec(ref(), commands.cat.argv, { stdin: parts() })).stdout).toBe("abc");
    });

    it("keeps the tail of large output, says how much it dropped, and streams every chunk", async () => {
      let streamed = 0;
      const result = await ctx.cluster.exec(ref(), commands.big.argv, {
        stdoutLimitBytes: 1000,
        onStdout: (chunk) => {
          streamed += chunk.byteLength;
        },
      });
      expect(result.exitCode).toBe(0);
      expect(streamed).toBe(BIG_OUTPUT_BYTES);
      expect(result.stdout).toHaveLength(1000);
      expect(result.stdout.endsWith("abcdefghi\n")).toBe(true);
      expect(result.stdoutTruncated).toBe(true);
      expect(result.stdoutDroppedBytes).toBe(BIG_OUTPUT_BYTES - 1000);
    });

    it("times out, reporting the command as possibly still running", async () => {
      const err = await expectCode(
        ctx.cluster.exec(ref(), commands.slow.argv, { timeoutMs: 300 }),
        "QUIESCE_TIMEOUT",
      );
      expect(err).toBeInstanceOf(ExecTimeoutError);
      expect((err as ExecTimeoutError).possiblyStillRunning).toBe(true);
      expect(err.details).toMatchObject({ pod, container: "sidecar", possiblyStillRunning: true });
    });

    it("rejects with the signal's reason when aborted", async () => {
      const controller = new AbortController();
      const reason = new Error("stop now");
      const running = ctx.cluster.exec(ref(), commands.slow.argv, { signal: controller.signal });
      setTimeout(() => controller.abort(reason), 100);
      await expect(running).rejects.toBe(reason);
    });

    it("names a missing container, a missing pod and a pod that is not running", async () => {
      const missing = await expectCode(
        ctx.cluster.exec({ ...ref(), container: "nope" }, commands.ok.argv),
        "QUIESCE_KUBE_CONTAINER_NOT_FOUND",
      );
      expect(missing.message).toContain("app, sidecar");
      await expectCode(
        ctx.cluster.exec({ namespace: ctx.namespace, pod: "no-such-pod" }, commands.ok.argv),
        "QUIESCE_KUBE_NOT_FOUND",
      );
      await ctx.cluster.create({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "exec-pending", namespace: ctx.namespace },
        spec: { containers: [{ name: "main", image: ctx.badImage }] },
      });
      await expectCode(
        ctx.cluster.exec({ namespace: ctx.namespace, pod: "exec-pending" }, commands.ok.argv),
        "QUIESCE_KUBE_POD_NOT_RUNNING",
      );
    });

    it("refuses an empty command", async () => {
      await expectCode(ctx.cluster.exec(ref(), []), "QUIESCE_VALIDATION");
    });
  });
}
