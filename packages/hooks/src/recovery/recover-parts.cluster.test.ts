/**
 * Recovery of sessions over more namespaces than one part of the record holds (the units are
 * stored in parts: packages/kube/src/sessions/record-parts.ts): every owed thaw is found, in every
 * part, and a thaw that ran to success in the live session is not run again.
 */
import { ErrorCodes } from "@quiesce/core";
import "@quiesce/functions/builtins";
import { LEASES, PART_ITEMS, readEnvelope } from "@quiesce/kube";
import { type LocalCluster, startLocalCluster } from "@quiesce/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { HookSpec } from "../hook-spec.js";
import { runWithHooks } from "../lifecycle.js";
import type { SessionResult } from "../result.js";
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

// What a host whose session was taken over is told, however many namespaces it had.
const expectLost = (result: SessionResult) => {
  expect(result).toMatchObject({
    outcome: "cancelled",
    decidedBy: "cancelled",
    error: { code: ErrorCodes.SESSION_LEASE_LOST },
    sessionRecord: { state: "lost" },
  });
};

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
    // Its thaws are the rescuer's: each claim finds the session taken over, and the host is told
    // it lost the session — as a host of one namespace is.
    const post = result.hooks.filter((h) => h.phase === "post");
    expect(post.map((h) => `${h.namespace} ${h.skippedBecause} ${h.error?.code}`)).toEqual(
      namespaces.map((ns) => `${ns} taken-over ${ErrorCodes.SESSION_LEASE_LOST}`),
    );
    expect(thaws()).toEqual([]);
    expectLost(result);
  });

  it("reports a lost session for one namespace too, when no other hook was cancelled", async () => {
    const host = await staleHost({ cluster: lc.cluster, namespaces: [home], hooks });
    await recoverSessions({ cluster: lc.cluster, namespaces: [home], identity: "rescuer" });
    execs.length = 0;
    const result = await host.release();
    expect(result.hooks.map((h) => `${h.phase} ${h.status} ${h.skippedBecause ?? ""}`)).toEqual([
      "pre succeeded ",
      "post skipped taken-over",
    ]);
    expect(thaws()).toEqual([]);
    expectLost(result);
  });

  it("reports a lost session when a rescuer took it over while the host was running its thaws", async () => {
    // One unit at a time: the host's third thaw hangs until a rescuer has taken the session over
    // and run every thaw still owed; the rescuer's own thaws answer at once.
    const host = await staleHost({ cluster: lc.cluster, namespaces, hooks, concurrency: 1 });
    let calls = 0;
    let report: ReturnType<typeof recoverSessions> | undefined;
    const stop = lc.runtime.onExec({ command: "thaw" }, async (ctx) => {
      execs.push(`${ctx.namespace}: ${ctx.argv.join(" ")}`);
      if (++calls === 3) {
        report = recoverSessions({ cluster: lc.cluster, namespaces: [home], identity: "rescuer" });
        await report;
      }
      return { stdout: "ok\n" };
    });
    try {
      execs.length = 0;
      const result = await host.release();
      expect((await report)?.recovered[0]).toMatchObject({ previousHolder: "host-a", cleanup: "completed" });
      const post = result.hooks.filter((h) => h.phase === "post");
      // The three it claimed while the session was its own ran; every later claim found it taken.
      expect(post.filter((h) => h.status === "succeeded")).toHaveLength(3);
      const taken = post.filter((h) => h.skippedBecause === "taken-over");
      expect(taken.map((h) => h.error?.code)).toEqual(taken.map(() => ErrorCodes.SESSION_LEASE_LOST));
      expect(taken).toHaveLength(namespaces.length - 3);
      expectLost(result);
      // Every thaw ran; only the one running when the session was taken ran twice (its completion
      // was never written: exactly once is for completions that were).
      expect(new Set(thaws())).toEqual(new Set(namespaces));
      expect(thaws()).toHaveLength(namespaces.length + 1);
      expect(await sessions()).toEqual([]);
    } finally {
      stop();
    }
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
