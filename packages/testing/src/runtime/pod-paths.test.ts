import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { mapArguments } from "./pod-paths.js";
import { createProcessRuntime } from "./process.js";
import type { ContainerInfo, PodInfo } from "./types.js";

const decoder = new TextDecoder();

function container(overrides: Partial<ContainerInfo> = {}): ContainerInfo {
  return {
    namespace: "shop",
    pod: "db-0",
    podUid: "uid-bbbbbbbb",
    container: "db",
    image: "postgres",
    argv: [],
    env: {},
    mounts: [{ name: "data", mountPath: "/var/lib/data", readOnly: false, claimName: "data-db-0" }],
    ...overrides,
  };
}

async function withPod(
  c: ContainerInfo,
  fn: (
    run: (argv: string[], stdin?: Buffer) => Promise<{ exitCode: number; stdout: string; stderr: string }>,
    root: string,
  ) => Promise<void>,
) {
  const dir = await mkdtemp(join(tmpdir(), "quiesce-podroot-"));
  const runtime = createProcessRuntime({ root: dir });
  const pod: PodInfo = { namespace: c.namespace, pod: c.pod, podUid: c.podUid, containers: [c] };
  await runtime.startPod(pod);
  const root = runtime.podRoot(c.namespace, c.pod, c.podUid);
  try {
    await fn(async (argv, stdin) => {
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
          ...(stdin
            ? {
                stdin: (async function* () {
                  yield stdin;
                })(),
              }
            : {}),
        },
        new AbortController().signal,
      );
      return { ...exit, stdout, stderr };
    }, root);
  } finally {
    await runtime.stopPod(pod);
    await rm(dir, { recursive: true, force: true });
  }
}

describe("pod roots of the process runtime", () => {
  it("gives each pod its own HOME, TMPDIR and HOSTNAME", async () => {
    await withPod(container(), async (run, root) => {
      const r = await run(["sh", "-c", 'echo "$HOME|$TMPDIR|$HOSTNAME|$(pwd)"']);
      expect(r.stdout).toBe(`${root}/root|${root}/tmp|db-0|${root}\n`);
    });
    // The container's own env still wins.
    await withPod(container({ env: { HOME: "/home/app" } }), async (run) => {
      expect((await run(["sh", "-c", 'echo "$HOME"'])).stdout).toBe("/home/app\n");
    });
  });

  it("resolves absolute paths under /tmp, /root and the mounts in the pod root, so kubectl cp lands there", async () => {
    await withPod(container(), async (run, root) => {
      // What `kubectl cp notes.txt db-0:/tmp/notes.txt` runs: test -d, then tar -xmf - -C /tmp.
      expect((await run(["test", "-d", "/tmp"])).exitCode).toBe(0);
      const src = await mkdtemp(join(tmpdir(), "quiesce-cp-"));
      await writeFile(join(src, "notes.txt"), "remember the milk\n");
      const archive = await new Promise<Buffer>((resolve, reject) => {
        const chunks: Buffer[] = [];
        const tar = spawn("tar", ["cf", "-", "notes.txt"], { cwd: src });
        tar.stdout.on("data", (c: Buffer) => chunks.push(c));
        tar.on("close", () => resolve(Buffer.concat(chunks)));
        tar.on("error", reject);
      });
      await rm(src, { recursive: true, force: true });
      expect((await run(["tar", "-xmf", "-", "-C", "/tmp"], archive)).exitCode).toBe(0);
      expect(await readFile(join(root, "tmp", "notes.txt"), "utf8")).toBe("remember the milk\n");
      // `kubectl cp db-0:/tmp/notes.txt .` runs tar cf - /tmp/notes.txt: members named as in a container.
      const archived = await run(["tar", "cf", "-", "/tmp/notes.txt"]);
      expect(archived.exitCode).toBe(0);
      // The first tar header starts with the member's name.
      expect(archived.stdout.startsWith("tmp/notes.txt\0")).toBe(true);
      const out = await run(["cat", "/tmp/notes.txt", "/var/lib/data/missing"]);
      expect(out.stdout).toBe("remember the milk\n");
      expect(out.stderr).toContain("var/lib/data/missing");
    });
  });

  it("runs a script from a checkout under /tmp by its host path, while its output path lands in the pod", async () => {
    // A CI checkout may live under /tmp or /root, which are also the container's own directories.
    const checkout = await mkdtemp("/tmp/quiesce-checkout-");
    try {
      const script = join(checkout, "examples", "tool.mjs");
      await mkdir(dirname(script), { recursive: true });
      await writeFile(
        script,
        'import { writeFileSync } from "node:fs"; writeFileSync(process.argv[2], "from the script\\n"); console.log("ran");\n',
      );
      await withPod(container(), async (run, root) => {
        const r = await run([process.execPath, script, "/tmp/out.txt"]);
        expect(r).toMatchObject({ exitCode: 0, stdout: "ran\n" });
        expect(await readFile(join(root, "tmp", "out.txt"), "utf8")).toBe("from the script\n");
        expect(
          existsSync("/tmp/out.txt") && (await readFile("/tmp/out.txt", "utf8")) === "from the script\n",
        ).toBe(false);
        // The pod's own copy wins over the host's: the script copied into the pod's /tmp runs there.
        await writeFile(join(root, "tmp", "tool.mjs"), 'console.log("the pod\'s copy");\n');
        expect((await run([process.execPath, "/tmp/tool.mjs"])).stdout).toBe("the pod's copy\n");
      });
    } finally {
      await rm(checkout, { recursive: true, force: true });
    }
  });

  it("maps whole arguments that are the pod's files, never the executable nor host-only files", () => {
    const host = new Set(["/", "/tmp", "/tmp/ci", "/tmp/ci/run.sh", "/root", "/etc", "/etc/hosts", "/var"]);
    const pod = new Set(["/r", "/r/tmp", "/r/tmp/a", "/r/root", "/r/var/lib/data", "/r/app"]);
    const exists = (p: string) => host.has(p) || pod.has(p);
    const dirs = { mounts: ["/var/lib/data"], overlays: ["/tmp", "/root", "/app"] };
    const map = (argv: string[], cwd = "/r") => mapArguments(argv, dirs, "/r", cwd, exists);
    expect(map(["/tmp/tool", "/tmp/a", "/etc/hosts", "--out=/tmp/b", "/tmpx", "/var/lib/data"])).toEqual([
      "/tmp/tool",
      "tmp/a",
      "/etc/hosts",
      "--out=/tmp/b",
      "/tmpx",
      "var/lib/data",
    ]);
    // Nobody has it yet: the pod's (a file about to be written); the host has it and the pod not: the host's.
    expect(map(["x", "/tmp/new/file", "/root/.cache", "/tmp/ci/run.sh", "/tmp/ci/new"])).toEqual([
      "x",
      "tmp/new/file",
      "root/.cache",
      "/tmp/ci/run.sh",
      "/tmp/ci/new",
    ]);
    // A volume hides the host's files at its mount path; the workingDir overlays like /tmp.
    host.add("/var/lib/data/host-file");
    expect(map(["x", "/var/lib/data/host-file", "/app/y"])).toEqual(["x", "var/lib/data/host-file", "app/y"]);
    // Run elsewhere (a workingDir), the mapped path is absolute under the root.
    expect(map(["cat", "/tmp/a"], "/r/app")).toEqual(["cat", "/r/tmp/a"]);
  });
});
