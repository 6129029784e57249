import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { StoredObject } from "../api/seams.js";
import { createProcessRuntime } from "../runtime/process.js";
import { container, type Harness, phase, podReady, startHarness } from "./test-support/harness.js";

let h: Harness;
afterEach(async () => {
  await h?.stop();
});

function pod(
  name: string,
  spec: Record<string, unknown>,
): Omit<StoredObject, "metadata"> & { metadata: { name: string; namespace: string } } {
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" }, spec };
}

const decoder = new TextDecoder();

async function logsOf(h: Harness, name: string, containerName: string): Promise<string> {
  const p = h.store.get(h.types.pods, "default", name) as StoredObject;
  let out = "";
  await h.controllers.podIO.logs(
    { namespace: "default", pod: p, container: containerName, follow: false },
    (c) => {
      out += decoder.decode(c);
    },
    new AbortController().signal,
  );
  return out;
}

describe("pod lifecycle", () => {
  it("runs a pod to Running and Ready with podIP and container statuses", async () => {
    h = startHarness({ podIP: "127.0.0.1" });
    h.store.create(h.types.pods, pod("web", { containers: [container("app")] }));
    const ready = await h.waitFor(h.types.pods, "default", "web", podReady);
    const status = ready?.status as Record<string, unknown>;
    expect(status.phase).toBe("Running");
    expect(status.podIP).toBe("127.0.0.1");
    expect(status.startTime).toEqual(expect.any(String));
    expect(status.containerStatuses).toEqual([
      expect.objectContaining({ name: "app", ready: true, state: { running: expect.any(Object) } }),
    ]);
    const reasons = h.store.list(h.types.events, "default").items.map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(["Scheduled", "Pulled", "Started"]));
  });

  it("ends a pod with its main process: Failed with the exit code and the output in its log", async () => {
    h = startHarness();
    h.runtime.onRun({ image: "busybox" }, async (ctx) => {
      await ctx.stdout(`hello from ${ctx.argv.join(" ")}\n`);
      return { stderr: "oops\n", exitCode: 3 };
    });
    h.store.create(
      h.types.pods,
      pod("task", {
        restartPolicy: "Never",
        containers: [container("main", "busybox:1.36", { command: ["run", "it"] })],
      }),
    );
    const done = await h.waitFor(h.types.pods, "default", "task", (p) => phase(p) === "Failed");
    const statuses = (
      (done as StoredObject).status as {
        containerStatuses: { state: { terminated?: { exitCode: number; reason: string } } }[];
      }
    ).containerStatuses;
    expect(statuses[0]?.state.terminated).toMatchObject({ exitCode: 3, reason: "Error" });
    expect(await logsOf(h, "task", "main")).toBe("hello from run it\noops\n");
  });

  it("marks a pod Succeeded when every container exits 0", async () => {
    h = startHarness();
    h.runtime.onRun({ container: "main" }, () => ({ stdout: "done\n" }));
    h.store.create(h.types.pods, pod("ok", { restartPolicy: "Never", containers: [container("main")] }));
    await h.waitFor(h.types.pods, "default", "ok", (p) => phase(p) === "Succeeded");
  });

  it("restarts a failing container under restartPolicy OnFailure", async () => {
    h = startHarness({ restartBackoffMs: 1 });
    let runs = 0;
    h.runtime.onRun({ container: "main" }, () => ({ exitCode: ++runs < 3 ? 1 : 0 }));
    h.store.create(
      h.types.pods,
      pod("flaky", { restartPolicy: "OnFailure", containers: [container("main")] }),
    );
    const done = await h.waitFor(h.types.pods, "default", "flaky", (p) => phase(p) === "Succeeded");
    expect(runs).toBe(3);
    expect(
      ((done as StoredObject).status as { containerStatuses: { restartCount: number }[] })
        .containerStatuses[0]?.restartCount,
    ).toBe(2);
  });

  it("keeps a pod with a bad image Pending with ErrImagePull, then ImagePullBackOff", async () => {
    h = startHarness();
    h.store.create(
      h.types.pods,
      pod("bad", { containers: [container("app", "registry.example/app:does-not-exist")] }),
    );
    const stuck = await h.waitFor(h.types.pods, "default", "bad", (p) => {
      const s = (
        p?.status as { containerStatuses?: { state: { waiting?: { reason: string } } }[] } | undefined
      )?.containerStatuses;
      return s?.[0]?.state.waiting?.reason === "ImagePullBackOff";
    });
    expect(phase(stuck)).toBe("Pending");
    const failed = h.store.list(h.types.events, "default").items.find((e) => e.reason === "Failed");
    expect(failed?.message).toContain("registry.example/app:does-not-exist");
  });

  it("honours a custom bad-image rule", async () => {
    h = startHarness({ imagePullFailures: (image) => image.startsWith("private/") });
    h.store.create(h.types.pods, pod("p", { containers: [container("app", "private/thing:1")] }));
    await h.waitFor(h.types.pods, "default", "p", (p) => {
      const s = (
        p?.status as { containerStatuses?: { state: { waiting?: { reason: string } } }[] } | undefined
      )?.containerStatuses;
      return (
        s?.[0]?.state.waiting?.reason === "ErrImagePull" ||
        s?.[0]?.state.waiting?.reason === "ImagePullBackOff"
      );
    });
  });

  it("terminates a deleted pod gracefully: deletionTimestamp first, exec sessions stopped, then gone", async () => {
    h = startHarness({ terminationDelayMs: 5 });
    let sawAbort = false;
    h.runtime.onExec(
      { command: "sleep forever" },
      (ctx) =>
        new Promise((resolve) => {
          ctx.signal.addEventListener("abort", () => {
            sawAbort = true;
            resolve({ exitCode: 0 });
          });
        }),
    );
    h.store.create(h.types.pods, pod("victim", { containers: [container("app")] }));
    const running = (await h.waitFor(h.types.pods, "default", "victim", podReady)) as StoredObject;
    const exec = h.controllers.podIO.exec(
      { namespace: "default", pod: running, container: "app", command: ["sleep", "forever"], tty: false },
      { stdout: () => {}, stderr: () => {} },
      new AbortController().signal,
    );
    const marked = h.store.delete(h.types.pods, "default", "victim");
    expect(marked.metadata.deletionTimestamp).toEqual(expect.any(String));
    expect(h.store.get(h.types.pods, "default", "victim")).toBeDefined();
    expect((await exec).exitCode).toBe(137);
    expect(sawAbort).toBe(true);
    await h.waitFor(h.types.pods, "default", "victim", (p) => p === undefined);
    const killing = h.store.list(h.types.events, "default").items.find((e) => e.reason === "Killing");
    expect(killing?.message).toContain("app");
  });

  it("resolves env from values, field refs and ConfigMaps", async () => {
    h = startHarness();
    const cms = h.store.typeFor("", "v1", "configmaps");
    if (!cms) throw new Error("configmaps not served");
    h.store.create(cms, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cfg", namespace: "default" },
      data: { mode: "fast" },
    });
    let seen: Readonly<Record<string, string>> = {};
    h.runtime.onRun({ container: "main" }, (ctx) => {
      seen = ctx.env;
    });
    h.store.create(
      h.types.pods,
      pod("env", {
        restartPolicy: "Never",
        containers: [
          container("main", "busybox", {
            env: [
              { name: "A", value: "1" },
              { name: "B", value: "$(A)-2" },
              { name: "POD", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
              { name: "MODE", valueFrom: { configMapKeyRef: { name: "cfg", key: "mode" } } },
            ],
          }),
        ],
      }),
    );
    await h.waitFor(h.types.pods, "default", "env", (p) => phase(p) === "Succeeded");
    expect(seen).toEqual({ A: "1", B: "1-2", POD: "env", MODE: "fast" });
  });

  it("runs init containers in order before the containers, sharing volumes", async () => {
    h = startHarness();
    const order: string[] = [];
    h.runtime.onRun({ container: "fetch" }, (ctx) => {
      order.push("fetch");
      ctx.files.write("/work/config", "ready");
    });
    h.runtime.onRun({ container: "migrate" }, () => {
      order.push("migrate");
      return { stdout: "migrated\n" };
    });
    h.runtime.onRun({ container: "app" }, (ctx) => {
      order.push(`app saw ${ctx.files.readText("/work/config")}`);
    });
    const mounts = [{ name: "work", mountPath: "/work" }];
    h.store.create(
      h.types.pods,
      pod("init", {
        restartPolicy: "Never",
        volumes: [{ name: "work", persistentVolumeClaim: { claimName: "scratch" } }],
        initContainers: [
          container("fetch", "busybox", { volumeMounts: mounts }),
          container("migrate", "busybox"),
        ],
        containers: [container("app", "busybox", { volumeMounts: mounts })],
      }),
    );
    const done = await h.waitFor(h.types.pods, "default", "init", (p) => phase(p) === "Succeeded");
    expect(order).toEqual(["fetch", "migrate", "app saw ready"]);
    const inits = (done as StoredObject).status as {
      initContainerStatuses: { name: string; state: { terminated?: { exitCode: number } } }[];
    };
    expect(inits.initContainerStatuses.map((c) => [c.name, c.state.terminated?.exitCode])).toEqual([
      ["fetch", 0],
      ["migrate", 0],
    ]);
    expect(await logsOf(h, "init", "migrate")).toBe("migrated\n");
  });

  // Kubernetes sidecar containers (KEP-753): an init container with restartPolicy Always is started,
  // and the next init container and then the pod's containers start while it keeps running.
  it("keeps a sidecar init container running beside the pod's containers", async () => {
    h = startHarness();
    h.runtime.onRun(
      { container: "proxy" },
      (ctx) => new Promise((done) => ctx.signal.addEventListener("abort", () => done({}))),
    );
    h.store.create(
      h.types.pods,
      pod("sidecar", {
        initContainers: [{ ...container("proxy"), restartPolicy: "Always" }, container("setup")],
        containers: [container("app")],
      }),
    );
    const ready = await h.waitFor(h.types.pods, "default", "sidecar", podReady);
    const inits = (ready as StoredObject).status as {
      initContainerStatuses: { name: string; ready: boolean; state: Record<string, unknown> }[];
    };
    expect(inits.initContainerStatuses.map((c) => [c.name, Object.keys(c.state)[0], c.ready])).toEqual([
      ["proxy", "running", true],
      ["setup", "terminated", true],
    ]);
  });

  it("fails a restartPolicy Never pod whose init container fails, without starting its containers", async () => {
    h = startHarness();
    let started = false;
    h.runtime.onRun({ container: "check" }, () => ({ exitCode: 1 }));
    h.runtime.onRun({ container: "app" }, () => {
      started = true;
    });
    h.store.create(
      h.types.pods,
      pod("blocked", {
        restartPolicy: "Never",
        initContainers: [container("check")],
        containers: [container("app")],
      }),
    );
    await h.waitFor(h.types.pods, "default", "blocked", (p) => phase(p) === "Failed");
    expect(started).toBe(false);
  });

  it("leaves a pod bound to another node alone, and deletes it at once", async () => {
    h = startHarness();
    h.store.create(h.types.pods, {
      ...pod("foreign", { nodeName: "elsewhere", containers: [container("app")] }),
      status: { phase: "Unknown" },
    });
    h.store.create(h.types.pods, pod("local", { containers: [container("app")] }));
    await h.waitFor(h.types.pods, "default", "local", podReady);
    expect(phase(h.store.get(h.types.pods, "default", "foreign"))).toBe("Unknown");
    h.store.delete(h.types.pods, "default", "foreign");
    await h.waitFor(h.types.pods, "default", "foreign", (p) => p === undefined);
  });

  it("removes a deleted pod even when a handler ignores its abort signal", async () => {
    h = startHarness();
    h.runtime.onRun({ container: "stubborn" }, () => new Promise(() => {}));
    h.store.create(h.types.pods, pod("stubborn", { containers: [container("stubborn")] }));
    await h.waitFor(h.types.pods, "default", "stubborn", podReady);
    h.store.delete(h.types.pods, "default", "stubborn");
    await h.waitFor(h.types.pods, "default", "stubborn", (p) => p === undefined, 10_000);
  });

  it("ends an aborted exec session as killed even when its handler ignores the signal", async () => {
    h = startHarness();
    h.runtime.onExec({ command: "ignore" }, () => new Promise(() => {}));
    h.store.create(h.types.pods, pod("deaf", { containers: [container("app")] }));
    const running = (await h.waitFor(h.types.pods, "default", "deaf", podReady)) as StoredObject;
    const client = new AbortController();
    const exec = h.controllers.podIO.exec(
      { namespace: "default", pod: running, container: "app", command: ["ignore"], tty: false },
      { stdout: () => {}, stderr: () => {} },
      client.signal,
    );
    client.abort();
    expect((await exec).exitCode).toBe(137);
  });

  it("rejects exec into a missing container (404) and into a pod that is not running (400)", async () => {
    h = startHarness({ podStartDelayMs: 60_000 });
    h.store.create(h.types.pods, pod("waiting", { containers: [container("app")] }));
    const pending = (await h.waitFor(
      h.types.pods,
      "default",
      "waiting",
      (p) => phase(p) === "Pending",
    )) as StoredObject;
    const io = { stdout: () => {}, stderr: () => {} };
    const signal = new AbortController().signal;
    await expect(
      h.controllers.podIO.exec(
        { namespace: "default", pod: pending, container: "nope", command: ["ls"], tty: false },
        io,
        signal,
      ),
    ).rejects.toMatchObject({ statusCode: 404, message: 'container "nope" not found in pod "waiting"' });
    await expect(
      h.controllers.podIO.exec(
        { namespace: "default", pod: pending, container: "app", command: ["ls"], tty: false },
        io,
        signal,
      ),
    ).rejects.toMatchObject({ statusCode: 400, reason: "BadRequest" });
    await expect(
      h.controllers.podIO.logs(
        { namespace: "default", pod: pending, container: "app", follow: false },
        () => {},
        signal,
      ),
    ).rejects.toMatchObject({ statusCode: 400, message: expect.stringContaining("waiting to start") });
  });

  it("follows a container's log until it ends, honouring tailLines and limitBytes", async () => {
    h = startHarness();
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => {
      finish = resolve;
    });
    h.runtime.onRun({ container: "writer" }, async (ctx) => {
      await ctx.stdout("line 1\nline 2\n");
      await gate;
      await ctx.stdout("line 3\n");
      return { exitCode: 0 };
    });
    h.store.create(
      h.types.pods,
      pod("chatty", { restartPolicy: "Never", containers: [container("writer")] }),
    );
    const running = (await h.waitFor(
      h.types.pods,
      "default",
      "chatty",
      (p) => phase(p) === "Running",
    )) as StoredObject;
    const signal = new AbortController().signal;
    let followed = "";
    const following = h.controllers.podIO.logs(
      { namespace: "default", pod: running, container: "writer", follow: true, tailLines: 1 },
      (c) => {
        followed += decoder.decode(c);
      },
      signal,
    );
    finish();
    await following;
    expect(followed).toBe("line 2\nline 3\n");
    let limited = "";
    await h.controllers.podIO.logs(
      { namespace: "default", pod: running, container: "writer", follow: false, limitBytes: 9 },
      (c) => {
        limited += decoder.decode(c);
      },
      signal,
    );
    expect(limited).toBe("line 1\nli");
  });

  it("reports a pod the runtime cannot set up as CreateContainerError with a Failed event", async () => {
    const root = await mkdtemp(join(tmpdir(), "quiesce-kubelet-"));
    h = startHarness({}, createProcessRuntime({ root }));
    try {
      h.store.create(
        h.types.pods,
        pod("escape", {
          volumes: [{ name: "v", persistentVolumeClaim: { claimName: "c" } }],
          containers: [container("app", "busybox", { volumeMounts: [{ name: "v", mountPath: "/../../x" }] })],
        }),
      );
      const stuck = await h.waitFor(h.types.pods, "default", "escape", (p) => {
        const s = (
          p?.status as { containerStatuses?: { state: { waiting?: { reason: string } } }[] } | undefined
        )?.containerStatuses;
        return s?.[0]?.state.waiting?.reason === "CreateContainerError";
      });
      expect(phase(stuck)).toBe("Pending");
      const failed = h.store.list(h.types.events, "default").items.find((e) => e.reason === "Failed");
      expect(failed?.message).toContain("leaves the pod root");
    } finally {
      await h.stop();
      await rm(root, { recursive: true, force: true });
    }
  });

  it("leaves a pod whose nodeSelector matches no node Pending and Unschedulable", async () => {
    h = startHarness();
    h.store.create(
      h.types.pods,
      pod("picky", { nodeSelector: { disktype: "ssd" }, containers: [container("app")] }),
    );
    const stuck = await h.waitFor(h.types.pods, "default", "picky", (p) => phase(p) === "Pending");
    const conditions = (stuck as StoredObject).status as {
      conditions: { type: string; status: string; reason?: string }[];
    };
    expect(conditions.conditions).toEqual([
      expect.objectContaining({ type: "PodScheduled", status: "False", reason: "Unschedulable" }),
    ]);
    const event = h.store.list(h.types.events, "default").items.find((e) => e.reason === "FailedScheduling");
    expect(event?.message).toContain("didn't match Pod's node affinity/selector");
    h.store.create(
      h.types.pods,
      pod("fits", { nodeSelector: { "kubernetes.io/os": "linux" }, containers: [container("app")] }),
    );
    await h.waitFor(h.types.pods, "default", "fits", podReady);
  });
});
