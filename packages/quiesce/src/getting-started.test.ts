/**
 * The flows of docs/getting-started.md, through the umbrella package: a HookTemplate around a
 * host step, and a Blueprint action, both on the embedded local cluster.
 */
import { startLocalCluster } from "@quiesce/testing";
import { describe, expect, it } from "vitest";
import "./builtins.js";
import {
  inMemoryTemplates,
  type KubeObject,
  loadBlueprint,
  loadHookTemplate,
  runBlueprintAction,
  runWithHooks,
  validateBlueprint,
} from "./index.js";

const podRunning = (p: KubeObject | undefined) =>
  (p?.status as { phase?: string } | undefined)?.phase === "Running";

describe("getting started", () => {
  it("wraps a host step in a KubeStash pre hook, then runs a Blueprint action", async () => {
    await using lc = await startLocalCluster({ podStartDelayMs: 0, readyDelayMs: 0, terminationDelayMs: 0 });
    await lc.apply(`
apiVersion: v1
kind: Pod
metadata: { name: db-0, namespace: default, labels: { app: db } }
spec: { containers: [{ name: db, image: postgres:16 }] }
`);
    await lc.cluster.waitFor(
      { version: "v1", resource: "pods", namespace: "default", name: "db-0" },
      podRunning,
    );
    const seen: (readonly string[])[] = [];
    lc.runtime.onExec({ container: "db", command: /^psql / }, (ctx) => {
      seen.push(ctx.argv);
      return { stdout: "CHECKPOINT\n" };
    });

    const checkpoint = loadHookTemplate(`
apiVersion: core.kubestash.com/v1alpha1
kind: HookTemplate
metadata: { name: checkpoint, namespace: default }
spec:
  action:
    exec: { command: [psql, -c, "CHECKPOINT -- {{ .Name }}"] }
  executor:
    type: Pod
    pod: { selector: app=db, strategy: ExecuteOnAll }
`);
    const session = await runWithHooks(
      {
        cluster: lc.cluster,
        subject: { kind: "Pod", namespace: "default", name: "db-0" },
        sessionName: "nightly",
        templates: inMemoryTemplates([checkpoint]),
        hooks: { pre: [{ name: "checkpoint", hookTemplate: { name: "checkpoint", namespace: "default" } }] },
      },
      async () => ({ copied: true }),
    );
    expect(session.outcome).toBe("succeeded");
    expect(session.decidedBy).toBe("all-succeeded");
    expect(session.step.outputs).toEqual({ copied: true });
    expect(session.hooks[0]?.targets[0]).toMatchObject({
      name: "db-0/db",
      exitCode: 0,
      stdout: "CHECKPOINT\n",
    });
    expect(seen).toEqual([["psql", "-c", "CHECKPOINT -- nightly"]]);

    const { blueprint } = loadBlueprint(`
apiVersion: cr.kanister.io/v1alpha1
kind: Blueprint
metadata: { name: db }
actions:
  backup:
    outputArtifacts:
      dump: { keyValue: { path: "{{ .Phases.checkpoint.Output.lsn }}" } }
    phases:
      - func: KubeExec
        name: checkpoint
        args:
          namespace: "{{ .Namespace.Name }}"
          pod: db-0
          command: [psql, -c, "CHECKPOINT"]
`);
    expect(validateBlueprint(blueprint).ok).toBe(true);
    lc.runtime.onExec({ container: "db", command: "psql -c CHECKPOINT" }, () => ({
      stdout: '###Phase-output###: {"key":"lsn","value":"0/16B3748"}\n',
    }));
    const action = await runBlueprintAction(blueprint, "backup", {
      cluster: lc.cluster,
      subject: { kind: "Namespace", name: "default" },
    });
    expect(action.status).toBe("succeeded");
    expect(action.phases[0]?.output).toEqual({ lsn: "0/16B3748" });
    expect(action.outputArtifacts).toEqual({ dump: { KeyValue: { path: "0/16B3748" } } });
  });
});
