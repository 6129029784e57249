import "@quiesce/functions/builtins";
import { cleanupOrphans } from "@quiesce/kube";
import { type LocalCluster, startLocalCluster } from "@quiesce/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLifecycleEvents } from "./events.js";
import { runWithHooks } from "./lifecycle.js";

let lc: LocalCluster;
beforeAll(async () => {
  lc = await startLocalCluster({
    podStartDelayMs: 0,
    readyDelayMs: 0,
    terminationDelayMs: 0,
    namespaces: ["db"],
    connect: { retry: { baseMs: 5, maxMs: 20, maxAttempts: 2 } },
  });
  lc.runtime.onRun({ image: "tools" }, () => ({ stdout: "ok\n" }));
});
afterEach(() => lc.faults.clear());
afterAll(() => lc?.stop());

const subject = { kind: "Namespace", name: "db", namespace: "db" };

describe("one-off pods and Jobs a session could not delete", () => {
  it("are listed as leaked (with an event) from Blueprint hooks and Function executors alike", async () => {
    lc.faults.add({ verb: "delete", resource: "pods", status: 500, times: Number.POSITIVE_INFINITY });
    lc.faults.add({ verb: "delete", resource: "jobs", status: 500, times: Number.POSITIVE_INFINITY });
    const events = createLifecycleEvents();
    const announced: string[] = [];
    events.on("resource:leaked", (leak) => announced.push(`${leak.kind} ${leak.name}`));
    const result = await runWithHooks(
      {
        cluster: lc.cluster,
        subject,
        events,
        hooks: {
          pre: [
            {
              name: "notify",
              action: { exec: { command: ["/notify"] } },
              executor: { type: "Function", function: { name: "notify", image: "tools:1" } },
            },
          ],
          preHook: {
            name: "dump",
            actionName: "dump",
            blueprint: {
              apiVersion: "cr.kanister.io/v1alpha1",
              kind: "Blueprint",
              metadata: { name: "app" },
              actions: {
                dump: {
                  phases: [{ func: "KubeTask", name: "dump", args: { image: "tools:1", command: ["dump"] } }],
                },
              },
            },
          },
        },
      },
      async () => ({}),
    );
    // The work itself succeeded: the outcome says so, and the leftovers are listed beside it.
    expect(result.outcome).toBe("succeeded");
    expect(result.leaked.map((l) => l.kind).sort()).toEqual(["Job", "Pod"]);
    for (const leak of result.leaked) {
      expect(leak).toMatchObject({ namespace: "db", error: { code: "QUIESCE_KUBE_API" } });
    }
    expect(announced.sort()).toEqual(result.leaked.map((l) => `${l.kind} ${l.name}`).sort());
    lc.faults.clear();
    const cleaned = await cleanupOrphans({ cluster: lc.cluster, olderThan: 0, namespaces: ["db"] });
    expect(cleaned.deleted.map((o) => o.name).sort()).toEqual(result.leaked.map((l) => l.name).sort());
  });

  it("are an empty list when everything was cleaned up", async () => {
    const result = await runWithHooks(
      {
        cluster: lc.cluster,
        subject,
        hooks: {
          pre: [
            {
              name: "notify",
              action: { exec: { command: ["/notify"] } },
              executor: { type: "Function", function: { name: "notify", image: "tools:1" } },
            },
          ],
        },
      },
      async () => ({}),
    );
    expect([result.outcome, result.leaked]).toEqual(["succeeded", []]);
  });
});
