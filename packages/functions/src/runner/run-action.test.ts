import { createDeadline, ErrorCodes, QuiesceError, sleep } from "@quiesce/core";
import type { Cluster } from "@quiesce/kube";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { looseInt, looseString } from "../args.js";
import { defineFunction } from "../define-function.js";
import { createRegistry } from "../registry.js";
import { emptyTemplateParams } from "../template-params.js";
import { BlueprintEvents } from "./events.js";
import { runBlueprintAction } from "./run-action.js";

// These tests cover the runner's own logic with functions that never touch Kubernetes; the
// built-in functions run against the local cluster in builtins/*.test.ts.
const noCluster = new Proxy({} as Cluster, {
  get: (_t, prop) => () => {
    throw new Error(`cluster.${String(prop)} is not used in this test`);
  },
});
// Nor does the runner: no session record (sessions.cluster.test.ts covers recording).
const offline = { cluster: noCluster, sessionRecord: false as const };

function setup() {
  const registry = createRegistry();
  const calls: string[] = [];
  registry.register(
    defineFunction({
      name: "Echo",
      args: z.object({ value: looseString(), fail: looseString().optional() }),
      async exec(ctx, args) {
        calls.push(`${ctx.phase}:${args.value}`);
        ctx.progress(50);
        if (args.fail) throw new Error(args.fail);
        return { value: args.value };
      },
    }),
  );
  registry.register(
    defineFunction({
      name: "Block",
      args: z.object({}),
      async exec(ctx) {
        calls.push(`${ctx.phase}:block`);
        await sleep(60_000, { signal: ctx.signal });
        return undefined;
      },
    }),
  );
  registry.register(
    defineFunction({
      name: "Count",
      args: z.object({ n: looseInt() }),
      exec: async (_ctx, a) => ({ n: a.n }),
    }),
  );
  return { registry, calls };
}

/** Adds Thaw: a cleanup that takes `ms` and stops when its signal aborts. */
function withThaw(registry: ReturnType<typeof createRegistry>, calls: string[]) {
  registry.register(
    defineFunction({
      name: "Thaw",
      args: z.object({ ms: looseInt() }),
      async exec(ctx, args) {
        calls.push("thaw:started");
        await sleep(args.ms, { signal: ctx.signal });
        calls.push("thaw:done");
        return undefined;
      },
    }),
  );
  return registry;
}

const bp = (actions: Record<string, unknown>) => ({
  apiVersion: "cr.kanister.io/v1alpha1",
  kind: "Blueprint",
  metadata: { name: "t" },
  actions,
});

describe("runBlueprintAction", () => {
  it("runs phases in order; later phases and artifacts see earlier outputs", async () => {
    const { registry, calls } = setup();
    const events = new BlueprintEvents();
    const seen: string[] = [];
    events.on("phase:started", (e) => seen.push(`started ${e.phase}`));
    events.on("phase:progress", (e) => seen.push(`progress ${e.phase} ${e.percent}`));
    events.on("phase:succeeded", (e) => seen.push(`succeeded ${e.phase}`));
    events.on("action:finished", (r) => seen.push(`finished ${r.status}`));
    const result = await runBlueprintAction(
      bp({
        backup: {
          outputArtifacts: { out: { keyValue: { path: "{{ .Phases.second.Output.value }}" } } },
          phases: [
            { func: "Echo", name: "first", args: { value: "{{ .Options.base }}" } },
            { func: "Echo", name: "second", args: { value: "{{ .Phases.first.Output.value }}/x" } },
          ],
        },
      }),
      "backup",
      { ...offline, registry, params: { ...emptyTemplateParams(), Options: { base: "/b" } }, events },
    );
    expect(result.status).toBe("succeeded");
    expect(calls).toEqual(["first:/b", "second:/b/x"]);
    expect(result.phases.map((p) => [p.name, p.status, p.output])).toEqual([
      ["first", "succeeded", { value: "/b" }],
      ["second", "succeeded", { value: "/b/x" }],
    ]);
    expect(result.outputArtifacts).toEqual({ out: { KeyValue: { path: "/b/x" } } });
    expect(seen).toEqual([
      "started first",
      "progress first 50",
      "succeeded first",
      "started second",
      "progress second 50",
      "succeeded second",
      "finished succeeded",
    ]);
  });

  it("bounds every template it renders: a runaway argument fails its phase with QUIESCE_TEMPLATE_LIMIT; templateLimits sets the bounds", async () => {
    const { registry, calls } = setup();
    const action = (value: string) =>
      bp({
        backup: {
          phases: [{ func: "Echo", name: "one", args: { value } }],
          deferPhase: { func: "Echo", name: "thaw", args: { value: "thawed" } },
        },
      });
    const runaway = await runBlueprintAction(
      action('{{ range until 3 }}{{ $_ := printf "% x" (repeat 8000000 "x") }}{{ end }}'),
      "backup",
      { ...offline, registry, params: emptyTemplateParams() },
    );
    expect(runaway.status).toBe("failed");
    expect(runaway.phases[0]?.error).toMatchObject({
      code: "QUIESCE_TEMPLATE_LIMIT",
      message: expect.stringMatching(
        /^rendering actions\.backup\.phases\[0\]\.args failed: template: config:1:28: executing "config" at <printf "% x" \(repeat 8000000 "x"\)>: formatting: a value of 23999999 bytes exceeds the limit of 16777216/,
      ),
    });
    // The deferPhase still runs; the runaway phase's function never did.
    expect(calls).toEqual(["thaw:thawed"]);
    const loop = "{{ range until 5000 }}{{ end }}done";
    const limited = await runBlueprintAction(action(loop), "backup", {
      ...offline,
      registry,
      params: emptyTemplateParams(),
      templateLimits: { maxSteps: 1000 },
    });
    expect(limited.phases[0]?.error?.message).toMatch(/limits\.maxSteps/);
    const allowed = await runBlueprintAction(action(loop), "backup", {
      ...offline,
      registry,
      params: emptyTemplateParams(),
    });
    expect(allowed.phases[0]?.output).toEqual({ value: "done" });
  });

  it("stops at a failure, skips the rest, always runs the deferPhase and renders no artifacts", async () => {
    const { registry, calls } = setup();
    const failed: string[] = [];
    const events = new BlueprintEvents();
    events.on("phase:failed", (e) => failed.push(`${e.phase}: ${e.error.message}`));
    const result = await runBlueprintAction(
      bp({
        backup: {
          outputArtifacts: { out: { keyValue: { v: "{{ .Phases.one.Output.value }}" } } },
          phases: [
            { func: "Echo", name: "one", args: { value: "1" } },
            { func: "Echo", name: "two", args: { value: "2", fail: "disk full" } },
            { func: "Echo", name: "three", args: { value: "3" } },
          ],
          deferPhase: {
            func: "Echo",
            name: "cleanup",
            args: { value: "after {{ .Phases.one.Output.value }}" },
          },
        },
      }),
      "backup",
      { ...offline, registry, params: emptyTemplateParams(), events },
    );
    expect(result.status).toBe("failed");
    expect(calls).toEqual(["one:1", "two:2", "cleanup:after 1"]);
    expect(result.phases.map((p) => p.status)).toEqual(["succeeded", "failed", "skipped"]);
    expect(result.deferPhase?.status).toBe("succeeded");
    expect(result.outputArtifacts).toEqual({});
    expect(result.error?.code).toBe("QUIESCE_HOOK_FAILED");
    expect(result.error?.message).toBe("phase two (Echo) failed: disk full");
    expect(failed).toEqual(["two: disk full"]);
  });

  it("validates rendered arguments against the function's schema, naming the path", async () => {
    const { registry } = setup();
    const result = await runBlueprintAction(
      bp({ restore: { phases: [{ func: "Count", name: "c", args: { n: "{{ .Options.n }}" } }] } }),
      "restore",
      { ...offline, registry, params: { ...emptyTemplateParams(), Options: { n: "many" } } },
    );
    expect(result.status).toBe("failed");
    expect(result.phases[0]?.error?.code).toBe("QUIESCE_VALIDATION");
    expect(result.phases[0]?.error?.message).toContain("actions.restore.phases[0].args.n");
  });

  it("fails a phase whose template references a missing key", async () => {
    const { registry } = setup();
    const result = await runBlueprintAction(
      bp({
        backup: { phases: [{ func: "Echo", name: "e", args: { value: "{{ .Phases.nope.Output.x }}" } }] },
      }),
      "backup",
      { ...offline, registry, params: emptyTemplateParams() },
    );
    expect(result.phases[0]?.status).toBe("failed");
    expect(result.phases[0]?.error?.code).toBe("QUIESCE_TEMPLATE_MISSING_KEY");
    expect(result.phases[0]?.error?.message).toContain("actions.backup.phases[0].args");
  });

  it("on cancellation stops the running phase and still runs the deferPhase with a fresh context", async () => {
    const { registry, calls } = setup();
    const controller = new AbortController();
    const events = new BlueprintEvents();
    events.on("phase:started", (e) => {
      if (e.phase === "wait") setTimeout(() => controller.abort(new Error("host cancelled")), 20);
    });
    const result = await runBlueprintAction(
      bp({
        backup: {
          phases: [
            { func: "Block", name: "wait" },
            { func: "Echo", name: "never", args: { value: "x" } },
          ],
          deferPhase: { func: "Echo", name: "cleanup", args: { value: "done" } },
        },
      }),
      "backup",
      { ...offline, registry, params: emptyTemplateParams(), signal: controller.signal, events },
    );
    expect(result.status).toBe("cancelled");
    expect(result.phases.map((p) => p.status)).toEqual(["cancelled", "skipped"]);
    expect(result.deferPhase?.status).toBe("succeeded");
    expect(calls).toEqual(["wait:block", "cleanup:done"]);
    expect(result.error?.code).toBe("QUIESCE_ABORTED");
    expect(result.error?.message).toBe("action backup was cancelled: host cancelled");
    expect(result.error?.cause?.message).toBe("host cancelled");
    expect(result.phases[0]?.error?.code).toBe("QUIESCE_ABORTED");
  });

  it("lets an abort that lands as the deferPhase starts neither cut it short nor fail the action", async () => {
    const { registry, calls } = setup();
    const controller = new AbortController();
    const events = new BlueprintEvents();
    // The abort arrives once the deferPhase has started, while it runs.
    events.on("phase:started", (e) => {
      if (e.deferred) controller.abort(new Error("host cancelled"));
    });
    const result = await runBlueprintAction(
      bp({
        backup: {
          phases: [{ func: "Echo", name: "freeze", args: { value: "x" } }],
          deferPhase: { func: "Thaw", name: "thaw", args: { ms: "50" } },
        },
      }),
      "backup",
      {
        ...offline,
        registry: withThaw(registry, calls),
        params: emptyTemplateParams(),
        signal: controller.signal,
        events,
      },
    );
    expect(calls).toEqual(["freeze:x", "thaw:started", "thaw:done"]);
    expect(result.deferPhase?.status).toBe("succeeded");
    // Nothing was cut short: every phase and the deferPhase ran to their end.
    expect(result.status).toBe("succeeded");
    expect(result.error).toBeUndefined();
  });

  it("bounds a deferPhase by deferTimeout once the caller aborts, and reports it as a timeout", async () => {
    const { registry, calls } = setup();
    const controller = new AbortController();
    const events = new BlueprintEvents();
    events.on("phase:started", (e) => {
      if (e.deferred) setTimeout(() => controller.abort(new Error("host cancelled")), 20);
    });
    const result = await runBlueprintAction(
      bp({
        backup: {
          phases: [{ func: "Echo", name: "freeze", args: { value: "x" } }],
          deferPhase: { func: "Thaw", name: "thaw", args: { ms: "60000" } },
        },
      }),
      "backup",
      {
        ...offline,
        registry: withThaw(registry, calls),
        params: emptyTemplateParams(),
        signal: controller.signal,
        events,
        deferTimeout: "50ms",
      },
    );
    expect(calls).toEqual(["freeze:x", "thaw:started"]);
    expect(result.deferPhase?.status).toBe("failed");
    expect(result.deferPhase?.error?.code).toBe("QUIESCE_TIMEOUT");
    expect(result.deferPhase?.error?.message).toBe(
      "deferPhase thaw (Thaw) after cancellation timed out after 50ms",
    );
    expect(result.status).toBe("failed");
    expect(result.error?.code).toBe("QUIESCE_HOOK_FAILED");
  });

  it("runs the deferPhase without a cleanup budget while nobody aborts", async () => {
    const { registry, calls } = setup();
    const result = await runBlueprintAction(
      bp({
        backup: {
          phases: [{ func: "Echo", name: "freeze", args: { value: "x" } }],
          deferPhase: { func: "Thaw", name: "thaw", args: { ms: "80" } },
        },
      }),
      "backup",
      {
        ...offline,
        registry: withThaw(registry, calls),
        params: emptyTemplateParams(),
        deferTimeout: "10ms",
      },
    );
    expect(result.deferPhase?.status).toBe("succeeded");
    expect(calls).toEqual(["freeze:x", "thaw:started", "thaw:done"]);
  });

  // Kanister pkg/phase.go Exec renders the arguments before it sets tp.CurrentPhase (on the copy the
  // function gets), so templates never see one.
  it('keeps an unnamed phase under .Phases "" and gives templates no .CurrentPhase', async () => {
    const { registry } = setup();
    const result = await runBlueprintAction(
      bp({
        backup: {
          phases: [
            { func: "Echo", args: { value: "{{ if .CurrentPhase }}set{{ else }}none{{ end }}" } },
            {
              func: "Echo",
              name: "second",
              args: { value: '{{ index (index .Phases "").Output "value" }}' },
            },
          ],
          deferPhase: {
            func: "Echo",
            name: "cleanup",
            args: { value: "{{ if .CurrentPhase }}set{{ else }}none{{ end }}" },
          },
        },
      }),
      "backup",
      { ...offline, registry, params: emptyTemplateParams() },
    );
    expect(result.status).toBe("succeeded");
    expect(result.phases.map((p) => p.output.value)).toEqual(["none", "none"]);
    expect(result.deferPhase?.output).toEqual({ value: "none" });
  });

  // Kanister pkg/param/param.go fetchSecrets reads a phase object in the namespace it names: none
  // given, the read fails (there is no default namespace).
  it("fails a phase whose Secret object names no namespace", async () => {
    const { registry } = setup();
    const result = await runBlueprintAction(
      bp({
        backup: {
          phases: [
            {
              func: "Echo",
              name: "p",
              objects: { creds: { kind: "Secret", name: "db-creds" } },
              args: { value: "x" },
            },
          ],
        },
      }),
      "backup",
      { ...offline, registry, params: emptyTemplateParams() },
    );
    expect(result.phases[0]?.error?.message).toMatch(/objects\.creds: a Secret needs a name and a namespace/);
  });

  // Kanister pkg/controller/controller.go runs a phase under the ActionSet's context only.
  it("gives a phase no time limit unless the host or the Blueprint sets one", async () => {
    const registry = createRegistry();
    const seen: Array<{ phase: string; timeoutMs: number }> = [];
    registry.register(
      defineFunction({
        name: "Limit",
        args: z.object({}),
        async exec(ctx) {
          seen.push({ phase: ctx.phase, timeoutMs: ctx.timeoutMs });
          return undefined;
        },
      }),
    );
    const doc = (annotations?: Record<string, string>) => ({
      ...bp({ backup: { phases: [{ func: "Limit", name: "p" }] } }),
      metadata: { name: "b", ...(annotations ? { annotations } : {}) },
    });
    const base = { ...offline, registry, params: emptyTemplateParams() };
    await runBlueprintAction(doc(), "backup", base);
    await runBlueprintAction(doc(), "backup", { ...base, phaseTimeout: "1h" });
    await runBlueprintAction(doc({ "quiesce.dev/phase-timeout": "30m" }), "backup", base);
    // The time left for the function's calls: the phase's limit less a margin, less what has passed.
    const [none, hour, annotated] = seen.map((s) => s.timeoutMs);
    expect(none).toBe(Number.POSITIVE_INFINITY);
    expect(hour).toBeLessThanOrEqual(60 * 60_000 - 2_000);
    expect(hour).toBeGreaterThan(60 * 60_000 - 2_000 - 10_000);
    expect(annotated).toBeLessThanOrEqual(30 * 60_000 - 2_000);
    expect(annotated).toBeGreaterThan(30 * 60_000 - 2_000 - 10_000);
  });

  it("bounds each phase by a time limit", async () => {
    const { registry } = setup();
    const result = await runBlueprintAction(
      bp({ backup: { phases: [{ func: "Block", name: "slow" }] } }),
      "backup",
      { ...offline, registry, params: emptyTemplateParams(), phaseTimeouts: { slow: "30ms" } },
    );
    expect(result.status).toBe("failed");
    expect(result.phases[0]?.error?.code).toBe("QUIESCE_TIMEOUT");
    expect(result.phases[0]?.error?.message).toBe("phase slow (Block) timed out after 30ms");
  });

  it("lets a call started late in a phase time out before the phase, with its own error", async () => {
    // A function that looks something up (150 ms), then runs a remote command under ctx.timeoutMs:
    // the command's timeout ("may still be running") must come before the phase's generic one.
    const registry = createRegistry();
    registry.register(
      defineFunction({
        name: "LookupThenRun",
        args: z.object({}),
        async exec(ctx) {
          await sleep(150, { signal: ctx.signal });
          const call = createDeadline({ signal: ctx.signal, timeoutMs: ctx.timeoutMs }, "the remote command");
          try {
            await sleep(60_000, { signal: call.signal });
          } catch (err) {
            if (call.timedOut) throw new QuiesceError(ErrorCodes.TIMEOUT, "the command may still be running");
            throw err;
          } finally {
            call.dispose();
          }
          return undefined;
        },
      }),
    );
    const result = await runBlueprintAction(
      bp({ backup: { phases: [{ func: "LookupThenRun", name: "p" }] } }),
      "backup",
      { cluster: noCluster, registry, params: emptyTemplateParams(), phaseTimeouts: { p: "1s" } },
    );
    expect(result.phases[0]?.error?.message).toBe("the command may still be running");
  });

  it("returns a failed result (no throw) for an invalid Blueprint or an unknown action", async () => {
    const { registry } = setup();
    const base = { ...offline, registry, params: emptyTemplateParams() };
    const doc = bp({
      backup: {
        secretNames: ["aws"],
        configMapNames: ["settings"],
        inputArtifactNames: ["cloud"],
        phases: [{ func: "Echo", name: "a", args: { value: "x" } }],
      },
    });
    const unknown = await runBlueprintAction(doc, "restore", base);
    expect(unknown.error?.message).toMatch(/has no action "restore" \(actions: backup\)/);
    // Kanister: secretNames, configMapNames and inputArtifactNames are informational (pkg/param/param.go
    // reads what the ActionSet gives): a run without them is not refused.
    const informational = await runBlueprintAction(doc, "backup", base);
    expect(informational.status).toBe("succeeded");
    const invalid = await runBlueprintAction(
      bp({ backup: { phases: [{ func: "BackupData", name: "a", args: {} }] } }),
      "backup",
      base,
    );
    expect(invalid.error?.code).toBe("QUIESCE_VALIDATION");
    expect(invalid.error?.message).toContain(
      "actions.backup.phases[0].func: function BackupData is not registered",
    );
  });

  it("prefers a function version and falls back to the default one", async () => {
    const registry = createRegistry();
    for (const version of [undefined, "v2.0.0"]) {
      registry.register(
        defineFunction({
          name: "V",
          ...(version ? { version } : {}),
          args: z.object({}),
          exec: async () => ({ version: version ?? "default" }),
        }),
      );
    }
    const doc = bp({ a: { phases: [{ func: "V", name: "v" }] } });
    const base = { ...offline, registry, params: emptyTemplateParams() };
    expect(
      (await runBlueprintAction(doc, "a", { ...base, preferredVersion: "v2.0.0" })).phases[0]?.output,
    ).toEqual({
      version: "v2.0.0",
    });
    expect(
      (await runBlueprintAction(doc, "a", { ...base, preferredVersion: "v3.0.0" })).phases[0]?.output,
    ).toEqual({
      version: "default",
    });
  });
});
