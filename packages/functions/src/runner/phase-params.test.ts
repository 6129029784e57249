/**
 * How the runner fills Kanister's TemplateParams between phases (pkg/phase.go, pkg/param/param.go,
 * pkg/controller/controller.go runAction): objects rendered up front, outputs nil until a phase
 * completes, artifacts as RenderArtifacts makes them.
 */
import type { Cluster } from "@quiesce/kube";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { looseString } from "../args.js";
import { defineFunction } from "../define-function.js";
import { createRegistry } from "../registry.js";
import { emptyTemplateParams } from "../template-params.js";
import { runBlueprintAction } from "./run-action.js";

const noCluster = new Proxy({} as Cluster, {
  get: (_t, prop) => () => {
    throw new Error(`cluster.${String(prop)} is not used in this test`);
  },
});

function setup() {
  const registry = createRegistry();
  const seen: string[] = [];
  registry.register(
    defineFunction({
      name: "Say",
      args: z.object({ text: looseString(), fail: looseString().optional() }),
      async exec(ctx, args) {
        seen.push(`${ctx.phase}: ${args.text}`);
        if (args.fail) throw new Error(args.fail);
        return { text: args.text };
      },
    }),
  );
  registry.register(defineFunction({ name: "Nothing", args: z.object({}), exec: async () => undefined }));
  registry.register(defineFunction({ name: "Empty", args: z.object({}), exec: async () => ({}) }));
  return { registry, seen };
}

const bp = (action: Record<string, unknown>) => ({
  apiVersion: "cr.kanister.io/v1alpha1",
  kind: "Blueprint",
  metadata: { name: "t" },
  actions: { backup: action },
});
// No cluster, so no session record either (sessions.cluster.test.ts covers recording).
const run = (action: Record<string, unknown>, registry: ReturnType<typeof createRegistry>) =>
  runBlueprintAction(bp(action), "backup", {
    cluster: noCluster,
    registry,
    params: emptyTemplateParams(),
    sessionRecord: false,
  });

describe("phase objects (pkg/phase.go GetPhases: RenderObjectRefs before the action starts)", () => {
  it("cannot use an earlier phase's output: the action fails with nothing run, not even its deferPhase", async () => {
    const { registry, seen } = setup();
    const result = await run(
      {
        phases: [
          { func: "Say", name: "first", args: { text: "one" } },
          {
            func: "Say",
            name: "second",
            objects: { creds: { kind: "Secret", name: "{{ .Phases.first.Output.text }}", namespace: "db" } },
            args: { text: "two" },
          },
        ],
        deferPhase: { func: "Say", name: "cleanup", args: { text: "bye" } },
      },
      registry,
    );
    expect(seen).toEqual([]);
    expect(result.status).toBe("failed");
    expect(result.phases.map((p) => p.status)).toEqual(["skipped", "skipped"]);
    expect(result.deferPhase?.status).toBe("skipped");
    expect(result.error?.message).toMatch(
      /^rendering actions\.backup\.phases\[1\]\.objects failed: could not render object reference \{creds\}: /,
    );
  });

  it("render the fields of a reference, then read it when its phase starts", async () => {
    const { registry } = setup();
    const params = { ...emptyTemplateParams(), Options: { ns: "db" } };
    // A ConfigMap reference whose namespace is a template: rendered, then read (and missing here).
    const reads: string[] = [];
    const cluster = new Proxy({} as Cluster, {
      get: (_t, prop) => async (ref: { namespace?: string; name?: string }) => {
        reads.push(`${String(prop)} ${ref.namespace}/${ref.name}`);
        throw new Error("not found");
      },
    });
    const result = await runBlueprintAction(
      bp({
        phases: [
          {
            func: "Say",
            name: "p",
            objects: {
              cfg: { kind: "ConfigMap", name: "cfg", namespace: "{{ .Options.ns }}" },
            },
            args: { text: "x" },
          },
        ],
      }),
      "backup",
      { cluster, registry, params },
    );
    expect(reads).toEqual(["get db/cfg"]);
    expect(result.phases[0]?.status).toBe("failed");
  });
});

describe(".Phases.<name>.Output (pkg/param/param.go UpdatePhaseParams)", () => {
  it("is nil while the phase runs, after a function that returned none, and for a failed phase", async () => {
    const { registry, seen } = setup();
    const result = await run(
      {
        phases: [
          { func: "Nothing", name: "a" },
          { func: "Empty", name: "b" },
          {
            func: "Say",
            name: "c",
            args: {
              text: "{{ toJson .Phases.a.Output }} {{ toJson .Phases.b.Output }} {{ toJson .Phases.c.Output }}",
            },
          },
          { func: "Say", name: "d", args: { text: "x", fail: "broken" } },
        ],
        deferPhase: {
          func: "Say",
          name: "cleanup",
          args: {
            text: "{{ toJson .Phases.c.Output }} {{ toJson .Phases.d.Output }} {{ toJson .DeferPhase.Output }}",
          },
        },
      },
      registry,
    );
    expect(seen).toEqual(["c: null {} null", "d: x", 'cleanup: {"text":"null {} null"} null null']);
    expect(result.status).toBe("failed");
    // The result lists every phase's outputs as an object, nil or not.
    expect(result.phases.map((p) => p.output)).toEqual([{}, {}, { text: "null {} null" }, {}]);
  });
});

describe(".CurrentPhase (pkg/phase.go Exec: set after the arguments are rendered, on the function's copy)", () => {
  it("is nil in templates and this phase's params for the function", async () => {
    const registry = createRegistry();
    const current: unknown[] = [];
    registry.register(
      defineFunction({
        name: "Peek",
        args: z.object({ text: looseString() }),
        async exec(ctx, args) {
          current.push(
            ctx.params.CurrentPhase === ctx.params.Phases[ctx.phase] ? "own" : ctx.params.CurrentPhase,
          );
          return { text: args.text };
        },
      }),
    );
    const result = await run(
      {
        phases: [
          {
            func: "Peek",
            name: "a",
            args: { text: "{{ toJson .CurrentPhase }}|{{ if .CurrentPhase }}set{{ end }}" },
          },
        ],
        deferPhase: { func: "Peek", name: "cleanup", args: { text: "{{ toJson .CurrentPhase }}" } },
        outputArtifacts: { art: { keyValue: { c: "{{ toJson .CurrentPhase }}" } } },
      },
      registry,
    );
    expect(result.phases[0]?.output).toEqual({ text: "null|" });
    expect(result.deferPhase?.output).toEqual({ text: "null" });
    expect(result.outputArtifacts).toEqual({ art: { KeyValue: { c: "null" } } });
    // The deferPhase's CurrentPhase is .Phases["cleanup"]: no phase has that name.
    expect(current).toEqual(["own", null]);
  });

  it("fails a template that reads a field of it, as Go does on a nil *param.Phase", async () => {
    const { registry, seen } = setup();
    const result = await run(
      { phases: [{ func: "Say", name: "a", args: { text: "{{ .CurrentPhase.Secrets }}" } }] },
      registry,
    );
    expect(seen).toEqual([]);
    expect(result.error?.message).toContain("nil pointer evaluating *param.Phase.Secrets");
  });
});

describe("output artifacts (pkg/param/render.go RenderArtifacts)", () => {
  // pkg/controller/controller.go runAction: artifacts are rendered after the deferPhase, and only
  // when every phase and the deferPhase succeeded.
  it("are rendered after the deferPhase and see its output", async () => {
    const { registry } = setup();
    const result = await run(
      {
        phases: [{ func: "Say", name: "p", args: { text: "v" } }],
        deferPhase: { func: "Say", name: "d", args: { text: "done" } },
        outputArtifacts: { a: { keyValue: { k: "{{ .DeferPhase.Output.text }}" } } },
      },
      registry,
    );
    expect(result.outputArtifacts).toEqual({ a: { KeyValue: { k: "done" } } });
    const failed = await run(
      {
        phases: [{ func: "Say", name: "p", args: { text: "v" } }],
        deferPhase: { func: "Say", name: "d", args: { text: "x", fail: "broken" } },
        outputArtifacts: { a: { keyValue: { k: "{{ .Phases.p.Output.text }}" } } },
      },
      registry,
    );
    expect(failed.status).toBe("failed");
    expect(failed.outputArtifacts).toEqual({});
  });

  it("render KeyValue values (not keys) and leave out an empty KeyValue", async () => {
    const { registry } = setup();
    const result = await run(
      {
        phases: [{ func: "Say", name: "p", args: { text: "v" } }],
        outputArtifacts: {
          full: { keyValue: { "{{ .Phases.p.Output.text }}": "{{ .Phases.p.Output.text }}" } },
          empty: { keyValue: {} },
        },
      },
      registry,
    );
    expect(result.outputArtifacts).toEqual({
      full: { KeyValue: { "{{ .Phases.p.Output.text }}": "v" } },
      empty: {},
    });
  });
});
