import "@quiesce/functions/builtins";
import { sleep } from "@quiesce/core";
import { type LocalCluster, startLocalCluster } from "@quiesce/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runWithHooks } from "./lifecycle.js";

let lc: LocalCluster;
beforeAll(async () => {
  lc = await startLocalCluster({
    podStartDelayMs: 0,
    readyDelayMs: 0,
    terminationDelayMs: 0,
    namespaces: ["db"],
  });
  await lc.apply({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "db-0", namespace: "db" },
    spec: { containers: [{ name: "db", image: "example/db:1" }] },
  });
  await lc.cluster.waitFor(
    { version: "v1", resource: "pods", namespace: "db", name: "db-0" },
    (p) => (p?.status as { phase?: string } | undefined)?.phase === "Running",
  );
});
afterAll(() => lc?.stop());

const exec = (name: string, command: string) => ({
  func: "KubeExec",
  name,
  args: { namespace: "db", pod: "db-0", command: [command] },
});

describe("a Blueprint hook cancelled with its session", () => {
  it("waits for the action's deferPhase, so the thaw runs and is recorded before the session ends", async () => {
    const ran: string[] = [];
    const controller = new AbortController();
    const undo = [
      lc.runtime.onExec({ command: "freeze" }, () => {
        ran.push("freeze");
        return {};
      }),
      lc.runtime.onExec({ command: "copy" }, async (ctx) => {
        ran.push("copy");
        setTimeout(() => controller.abort(new Error("backup window closed")), 50);
        await new Promise<void>((resolve) =>
          ctx.signal.addEventListener("abort", () => resolve(), { once: true }),
        );
        return { exitCode: 137 };
      }),
      // Slower than the session's short settle grace for ordinary hooks.
      lc.runtime.onExec({ command: "thaw" }, async () => {
        await sleep(1_200);
        ran.push("thaw");
        return {};
      }),
    ];
    try {
      const result = await runWithHooks(
        {
          cluster: lc.cluster,
          subject: { kind: "Namespace", name: "db", namespace: "db" },
          signal: controller.signal,
          hooks: {
            preHook: {
              name: "quiesce",
              actionName: "freeze",
              blueprint: {
                apiVersion: "cr.kanister.io/v1alpha1",
                kind: "Blueprint",
                metadata: { name: "app" },
                actions: {
                  freeze: {
                    phases: [exec("freeze", "freeze"), exec("copy", "copy")],
                    deferPhase: exec("thaw", "thaw"),
                  },
                },
              },
            },
          },
        },
        async () => ({}),
      );
      // The thaw ran to its end before runWithHooks resolved.
      expect(ran).toEqual(["freeze", "copy", "thaw"]);
      expect(result.outcome).toBe("cancelled");
      const hook = result.hooks.find((h) => h.name === "quiesce");
      expect(hook?.status).toBe("cancelled");
      expect(hook?.targets.map((t) => [t.name, t.status])).toEqual([
        ["freeze (KubeExec)", "succeeded"],
        ["copy (KubeExec)", "cancelled"],
        ["thaw (KubeExec)", "succeeded"],
      ]);
      expect(result.error?.message).toContain("backup window closed");
    } finally {
      for (const u of undo) u();
    }
  });
});
