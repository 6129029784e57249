import { describe, expect, it } from "vitest";
import { addVeleroInitContainers } from "./init-containers.js";
import { loadVeleroHooks } from "./load.js";

// internal/hook/item_hook_handler.go InitContainerRestoreHookHandler.HandleRestoreHooks, as the
// restore item action runs it on every pod Velero creates.

const hooks = loadVeleroHooks({
  apiVersion: "velero.io/v1",
  kind: "Restore",
  metadata: { name: "r", namespace: "velero" },
  spec: {
    namespaceMapping: { prod: "staging" },
    hooks: {
      resources: [
        {
          name: "mapped",
          includedNamespaces: ["staging"],
          labelSelector: { matchLabels: { app: "db" } },
          postHooks: [
            {
              init: {
                initContainers: [
                  { name: "restore-a", image: "alpine", command: ["/bin/ash", "-c", "a"], colour: "blue" },
                  {
                    name: "restore-b",
                    image: "alpine",
                    command: ["b"],
                    volumeMounts: [{ name: "d", mountPath: "/d" }],
                  },
                ],
              },
            },
            { exec: { command: ["not", "an", "init", "hook"] } },
          ],
        },
        {
          name: "other",
          includedNamespaces: ["prod"],
          postHooks: [{ init: { initContainers: [{ name: "wrong-ns", image: "alpine", command: ["x"] }] } }],
        },
      ],
    },
  },
});

const pod = (metadata: Record<string, unknown>, initContainers?: unknown[]) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "db-0", namespace: "prod", labels: { app: "db" }, ...metadata },
  spec: { containers: [{ name: "db", image: "postgres" }], ...(initContainers ? { initContainers } : {}) },
});

describe("addVeleroInitContainers", () => {
  it("adds the init containers of every rule matching the pod's target namespace, after restore-wait and before the pod's own", () => {
    const manifest = pod({}, [
      { name: "restore-wait", image: "velero/velero-restore-helper" },
      { name: "own", image: "busybox" },
    ]);
    const out = addVeleroInitContainers(manifest, { hooks });
    expect(out.spec.initContainers).toEqual([
      { name: "restore-wait", image: "velero/velero-restore-helper" },
      // Decoded as a core/v1 Container: an unknown field such as `colour` is dropped.
      { name: "restore-a", image: "alpine", command: ["/bin/ash", "-c", "a"] },
      { name: "restore-b", image: "alpine", command: ["b"], volumeMounts: [{ name: "d", mountPath: "/d" }] },
      { name: "own", image: "busybox" },
    ]);
    // The input is left as it was.
    expect(manifest.spec.initContainers).toHaveLength(2);
  });

  it("the pod's init annotations replace the Restore's init hooks; a missing name is generated as Velero does", () => {
    const out = addVeleroInitContainers(
      pod({
        annotations: {
          "init.hook.restore.velero.io/container-image": "alpine:latest",
          "init.hook.restore.velero.io/command": '["/bin/ash", "-c", "date"]',
        },
      }),
      { hooks, nameSuffix: () => "deadbeef" },
    );
    expect(out.spec.initContainers).toEqual([
      { name: "velero-restore-init-deadbeef", image: "alpine:latest", command: ["/bin/ash", "-c", "date"] },
    ]);
  });

  it("leaves pods the rules do not match, and anything that is not a Pod, as they are", () => {
    const unlabelled = pod({ labels: { app: "web" }, namespace: "elsewhere" });
    expect(addVeleroInitContainers(unlabelled, { hooks })).toEqual(unlabelled);
    const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" } };
    expect(addVeleroInitContainers(deployment, { hooks })).toBe(deployment);
    // Without the mapping, the pod stays in prod and the other rule applies.
    const unmapped = addVeleroInitContainers(pod({}), { hooks, namespaceMapping: {} });
    expect(unmapped.spec.initContainers).toEqual([{ name: "wrong-ns", image: "alpine", command: ["x"] }]);
  });
});
