import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createProcessRuntime } from "./process.js";
import { runtimeConformance } from "./test-support/conformance.js";
import type { ContainerInfo, PodInfo } from "./types.js";

const sh = (script: string) => ["sh", "-c", script];

runtimeConformance("process", async () => {
  const root = await mkdtemp(join(tmpdir(), "quiesce-process-"));
  return {
    runtime: createProcessRuntime({ root, killGraceMs: 50 }),
    define(b) {
      if (b.hang) return sh("sleep 30");
      if (b.echoStdin) return ["cat"];
      if (b.zeroBytes) return ["head", "-c", String(b.zeroBytes), "/dev/zero"];
      return sh(
        `printf '%s' "$OUT"; printf '%s' "$ERR" >&2; exit ${b.exitCode ?? 0}`
          .replace("$OUT", b.stdout ?? "")
          .replace("$ERR", b.stderr ?? ""),
      );
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
});

const decoder = new TextDecoder();

function container(root: string, pod: string, uid: string, claim: string): ContainerInfo {
  void root;
  return {
    namespace: "default",
    pod,
    podUid: uid,
    container: "app",
    image: "busybox",
    argv: [],
    env: { GREETING: "hello" },
    mounts: [{ name: "data", mountPath: "/var/lib/data", readOnly: false, claimName: claim }],
  };
}

async function run(runtime: ReturnType<typeof createProcessRuntime>, c: ContainerInfo, argv: string[]) {
  let stdout = "";
  let stderr = "";
  const exit = await runtime.exec(
    c,
    argv,
    {
      stdout: (x) => {
        stdout += decoder.decode(x);
      },
      stderr: (x) => {
        stderr += decoder.decode(x);
      },
    },
    new AbortController().signal,
  );
  return { ...exit, stdout, stderr };
}

describe("process runtime", () => {
  it("runs a real shell command with the container's env, in the pod root, and reports its exit code", async () => {
    const root = await mkdtemp(join(tmpdir(), "quiesce-process-"));
    const runtime = createProcessRuntime({ root });
    const c = container(root, "web-0", "uid-aaaaaaaa", "data-web-0");
    const pod: PodInfo = { namespace: "default", pod: "web-0", podUid: "uid-aaaaaaaa", containers: [c] };
    try {
      await runtime.startPod(pod);
      const result = await run(runtime, c, sh('echo hi; echo "$GREETING from $(pwd)" >&2; exit 3'));
      expect(result.exitCode).toBe(3);
      expect(result.stdout).toBe("hi\n");
      expect(result.stderr).toBe(`hello from ${runtime.podRoot("default", "web-0", "uid-aaaaaaaa")}\n`);
    } finally {
      await runtime.stopPod(pod);
      await rm(root, { recursive: true, force: true });
    }
  });

  it("shares a PVC directory between two pods mounting the same claim", async () => {
    const root = await mkdtemp(join(tmpdir(), "quiesce-process-"));
    const runtime = createProcessRuntime({ root });
    const a = container(root, "db-0", "uid-11111111", "data-db-0");
    const b = container(root, "restore", "uid-22222222", "data-db-0");
    const podA: PodInfo = { namespace: "default", pod: "db-0", podUid: "uid-11111111", containers: [a] };
    const podB: PodInfo = { namespace: "default", pod: "restore", podUid: "uid-22222222", containers: [b] };
    try {
      await runtime.startPod(podA);
      await runtime.startPod(podB);
      expect((await run(runtime, a, sh("echo dumped > var/lib/data/dump.sql"))).exitCode).toBe(0);
      const read = await run(runtime, b, sh('cat "$QUIESCE_POD_ROOT/var/lib/data/dump.sql"'));
      expect(read).toMatchObject({ exitCode: 0, stdout: "dumped\n" });
      expect(await readFile(join(runtime.pvcDir("default", "data-db-0"), "dump.sql"), "utf8")).toBe(
        "dumped\n",
      );
      await runtime.stopPod(podA);
      // The claim outlives the pod.
      expect((await run(runtime, b, ["cat", "var/lib/data/dump.sql"])).stdout).toBe("dumped\n");
    } finally {
      await runtime.stopPod(podB);
      await rm(root, { recursive: true, force: true });
    }
  });

  it("reports a missing command as exit 127 with a clear message", async () => {
    const root = await mkdtemp(join(tmpdir(), "quiesce-process-"));
    const runtime = createProcessRuntime({ root });
    const c = container(root, "x", "uid-33333333", "c");
    await runtime.startPod({ namespace: "default", pod: "x", podUid: "uid-33333333", containers: [c] });
    try {
      const result = await run(runtime, c, ["definitely-not-a-command-quiesce"]);
      expect(result.exitCode).toBe(127);
      expect(result.stderr).toContain("definitely-not-a-command-quiesce: command not found");
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("kills the whole process group when an exec is aborted", async () => {
    const root = await mkdtemp(join(tmpdir(), "quiesce-process-"));
    const runtime = createProcessRuntime({ root, killGraceMs: 50 });
    const c = container(root, "y", "uid-44444444", "c");
    await runtime.startPod({ namespace: "default", pod: "y", podUid: "uid-44444444", containers: [c] });
    try {
      const controller = new AbortController();
      let pid = "";
      const running = runtime.exec(
        c,
        sh("sleep 30 & echo $!; wait"),
        {
          stdout: (x) => {
            pid += decoder.decode(x);
          },
          stderr: () => {},
        },
        controller.signal,
      );
      await new Promise<void>((resolve) => {
        const check = () => (pid.includes("\n") ? resolve() : setTimeout(check, 5));
        check();
      });
      controller.abort();
      expect((await running).exitCode).toBeGreaterThan(128);
      // Gone, or a zombie waiting for a reaper (PID 1 in a container may never reap it). The group's
      // signal is delivered with the shell's, but on a loaded machine the background process may
      // take a moment longer to die than the shell: it is given a second.
      const alive = async () => {
        const stat = await readFile(`/proc/${pid.trim()}/stat`, "utf8").catch(() => "");
        return stat !== "" && !/^\d+ \(.*\) Z/.test(stat);
      };
      for (let i = 0; i < 100 && (await alive()); i++) await new Promise((r) => setTimeout(r, 10));
      expect(await alive()).toBe(false);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("lets scripted handlers take precedence over host processes", async () => {
    const root = await mkdtemp(join(tmpdir(), "quiesce-process-"));
    const runtime = createProcessRuntime({ root });
    runtime.onExec({ command: "pg_dump" }, () => ({ stdout: "scripted dump\n" }));
    const c = container(root, "z", "uid-55555555", "c");
    await runtime.startPod({ namespace: "default", pod: "z", podUid: "uid-55555555", containers: [c] });
    try {
      expect((await run(runtime, c, ["pg_dump"])).stdout).toBe("scripted dump\n");
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("refuses mount paths that leave the pod root or nest inside another mount, touching nothing", async () => {
    const root = await mkdtemp(join(tmpdir(), "quiesce-process-"));
    const runtime = createProcessRuntime({ root });
    const base = container(root, "evil", "uid-66666666", "c");
    const escaping: PodInfo = {
      namespace: "default",
      pod: "evil",
      podUid: "uid-66666666",
      containers: [
        { ...base, mounts: [{ name: "v", mountPath: "/../../../outside", readOnly: false, claimName: "c" }] },
      ],
    };
    const nested: PodInfo = {
      ...escaping,
      containers: [
        {
          ...base,
          mounts: [
            { name: "data", mountPath: "/data", readOnly: false, claimName: "c" },
            { name: "conf", mountPath: "/data/conf", readOnly: false },
          ],
        },
      ],
    };
    try {
      await expect(runtime.startPod(escaping)).rejects.toThrow(
        'mountPath "/../../../outside" leaves the pod root',
      );
      await expect(runtime.startPod(nested)).rejects.toThrow(
        "cannot mount /data/conf inside the mount /data",
      );
      expect(existsSync(join(root, "pvcs", "default", "c", "conf"))).toBe(false);
      expect(existsSync(join(root, "..", "outside"))).toBe(false);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
