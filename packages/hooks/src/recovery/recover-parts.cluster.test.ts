/**
 * Recovery of sessions over more namespaces than one part of the record holds (the units are
 * stored in parts: packages/kube/src/sessions/record-parts.ts): every owed thaw is found, in every
 * part, and a thaw that ran to success in the live session is not run again.
 */
import "@quiesce/functions/builtins";
import { LEASES, PART_ITEMS, readEnvelope } from "@quiesce/kube";
import { type LocalCluster, startLocalCluster } from "@quiesce/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { HookSpec } from "../hook-spec.js";
import { runWithHooks } from "../lifecycle.js";
import type { HooksPayload } from "../session/ledger-payload.js";
import { staleHost } from "../test-support/stale-host.js";
import { recoverSessions } from "./recover-sessions.js";

// More units than two parts hold, so that the record has three.
const namespaces = Array.from({ length: 2 * PART_ITEMS + 4 }, (_, i) => `team-${String(i).padStart(2, "0")}`);
const home = namespaces[0] as string;
const CONFIGMAPS = { version: "v1", resource: "configmaps", namespace: home } as const;
let lc: LocalCluster;
const execs: string[] = [];
const failing = new Set<string>();

beforeAll(async () => {
  lc = await startLocalCluster({ podStartDelayMs: 0, readyDelayMs: 0, terminationDelayMs: 0, namespaces });
  await lc.apply(
    namespaces.map((namespace) => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "db-0", namespace, labels: { app: "db" } },
      spec: { containers: [{ name: "db", image: "postgres:16" }] },
    })),
  );
  for (const namespace of namespaces) {
    await lc.cluster.waitFor(
      { version: "v1", resource: "pods", namespace, name: "db-0" },
      (p) => (p?.status as { phase?: string } | undefined)?.phase === "Running",
    );
  }
  lc.runtime.onExec({}, (ctx) => {
    execs.push(`${ctx.namespace}: ${ctx.argv.join(" ")}`);
    return failing.has(ctx.namespace) && ctx.argv[0] === "thaw"
      ? { exitCode: 1, stderr: "no\n" }
      : { stdout: "ok\n" };
  });
});
afterEach(async () => {
  execs.length = 0;
  failing.clear();
  for (const ref of [CONFIGMAPS, { ...LEASES, namespace: home }]) {
    const { items } = await lc.cluster.list(ref, { labelSelector: "quiesce.dev/session" });
    for (const o of items) await lc.cluster.delete({ ...ref, name: o.metadata?.name ?? "" }).catch(() => {});
  }
});
afterAll(() => lc.stop());

const execOn = (name: string, command: string[]): HookSpec => ({
  name,
  action: { exec: { command } },
  executor: { type: "Pod", pod: { selector: "app=db", strategy: "ExecuteOnAll" } },
});
const hooks = { pre: [execOn("freeze", ["freeze"])], post: [execOn("thaw", ["thaw"])] };
const thaws = () =>
  execs
    .filter((e) => e.endsWith("thaw"))
    .map((e) => e.split(":")[0])
    .sort();
const sessions = async () =>
  (await lc.cluster.list(CONFIGMAPS, { labelSelector: "quiesce.dev/session" })).items;

describe("recovering a session recorded in parts", () => {
  it("runs the thaw of every namespace of a host that hung after its freeze", async () => {
    const host = await staleHost({ cluster: lc.cluster, namespaces, hooks, concurrency: 8 });
    const [cm] = await sessions();
    const head = JSON.parse((cm as { data?: Record<string, string> }).data?.["session.json"] ?? "{}");
    expect(head).toMatchObject({ version: 2, parts: { field: "units", count: 3 } });
    expect(
      readEnvelope<HooksPayload>(cm ?? {})
        .payload.units.map((u) => u.namespace)
        .sort(),
    ).toEqual(namespaces);

    execs.length = 0;
    const report = await recoverSessions({ cluster: lc.cluster, namespaces: [home], identity: "rescuer" });
    expect(report.recovered[0]).toMatchObject({ previousHolder: "host-a", cleanup: "completed" });
    expect(thaws()).toEqual(namespaces);
    expect(await sessions()).toEqual([]);

    execs.length = 0;
    const result = await host.release();
    // Its thaws are the rescuer's: each claim finds the session taken over.
    expect(result.hooks.filter((h) => h.phase === "post").map((h) => h.skippedBecause)).toEqual(
      namespaces.map(() => "taken-over"),
    );
    expect(thaws()).toEqual([]);
  });

  it("runs again only the thaws that failed, whichever part holds them", async () => {
    const failed = [namespaces[1], namespaces[PART_ITEMS + 2], namespaces.at(-1)] as string[];
    for (const namespace of failed) failing.add(namespace);
    const result = await runWithHooks(
      { cluster: lc.cluster, namespaces, hooks, concurrency: 8 },
      async () => undefined,
    );
    expect(result.outcome).toBe("failed");
    expect(result.sessionRecord).toMatchObject({ state: "owed" });
    expect(thaws()).toEqual(namespaces);

    failing.clear();
    execs.length = 0;
    const report = await recoverSessions({ cluster: lc.cluster, namespaces: [home] });
    expect(thaws()).toEqual(failed.sort());
    expect(report.recovered[0]?.session?.outcome).toBe("succeeded");
    expect(await sessions()).toEqual([]);
  });
});
