/**
 * ScaleWorkload waits as Kanister's pkg/kube/workload.go does: on the workload's status and the
 * pods it owns — not on every pod its labels select.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBlueprintAction } from "../runner/run-action.js";
import { blueprintOf, startEnv, statefulSet, type TestEnv, waitReady } from "../test-support/local.js";

let env: TestEnv;

beforeAll(async () => {
  env = await startEnv(["shared"]);
  // A StatefulSet and a Deployment whose pods both carry app=db; the StatefulSet selects app=db.
  await env.lc.apply(statefulSet("shared", "db", 2));
  await env.lc.apply(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: db-api, namespace: shared }
spec:
  replicas: 2
  selector: { matchLabels: { app: db, tier: api } }
  template:
    metadata: { labels: { app: db, tier: api } }
    spec: { containers: [{ name: api, image: example/api:1 }] }
`);
  await waitReady(env.lc, "statefulsets", "shared", "db", 2);
  await waitReady(env.lc, "deployments", "shared", "db-api", 2);
});
afterAll(() => env.lc.stop());

const run = (phases: unknown[], subject = { kind: "StatefulSet", namespace: "shared", name: "db" }) =>
  runBlueprintAction(blueprintOf(phases), "run", {
    cluster: env.lc.cluster,
    registry: env.registry,
    subject,
    // A wait that never ends fails the test rather than hanging it.
    phaseTimeout: "20s",
  });

const running = async (selector: string) =>
  (await env.lc.cluster.selectPods("shared", { selector, phase: "Running" }))
    .map((p) => p.metadata?.name)
    .sort();

describe("ScaleWorkload beside another workload sharing its labels", () => {
  it("scales the StatefulSet down and up while the Deployment's app=db pods keep running", async () => {
    const result = await run([
      { func: "ScaleWorkload", name: "down", args: { replicas: 0 } },
      { func: "ScaleWorkload", name: "up", args: { replicas: "2" } },
    ]);
    expect(result.status).toBe("succeeded");
    expect(result.phases.map((p) => p.output)).toEqual([
      { originalReplicaCount: 2 },
      { originalReplicaCount: 0 },
    ]);
    expect(await running("app=db,!tier")).toEqual(["db-0", "db-1"]);
    expect(await running("tier=api")).toHaveLength(2);
  });

  it("scales the Deployment by kind and name, its readiness read from its current ReplicaSet", async () => {
    const result = await run([
      {
        func: "ScaleWorkload",
        name: "api",
        args: { kind: "Deployment", name: "db-api", namespace: "shared", replicas: 1 },
      },
    ]);
    expect(result.status).toBe("succeeded");
    expect(result.phases[0]?.output).toEqual({ originalReplicaCount: 2 });
    expect(await running("tier=api")).toHaveLength(1);
    expect(await running("app=db,!tier")).toEqual(["db-0", "db-1"]);
  });

  it("without a workload subject needs namespace, name and kind (Kanister's message)", async () => {
    const result = await run([{ func: "ScaleWorkload", name: "s", args: { replicas: 1, name: "db" } }], {
      kind: "Namespace",
      namespace: "shared",
      name: "shared",
    });
    expect(result.phases[0]?.error?.message).toBe(
      "ScaleWorkload: Workload information not available via defaults or namespace/name/kind parameters",
    );
  });

  it("returns at once with waitForReady false", async () => {
    const result = await run([
      { func: "ScaleWorkload", name: "s", args: { replicas: 1, waitForReady: "false" } },
    ]);
    expect(result.status).toBe("succeeded");
    expect(result.phases[0]?.output).toEqual({ originalReplicaCount: 2 });
    const back = await run([{ func: "ScaleWorkload", name: "s", args: { replicas: 2 } }]);
    expect(back.status).toBe("succeeded");
  });
});
