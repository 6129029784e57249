import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isolationAvailable } from "./isolation.js";
import { createProcessRuntime, type ProcessRuntime } from "./process.js";
import type { ContainerInfo, PodInfo } from "./types.js";

const isolation = await isolationAvailable();
const decoder = new TextDecoder();

async function run(runtime: ProcessRuntime, c: ContainerInfo, argv: string[], stdin?: string) {
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
      ...(stdin !== undefined
        ? {
            stdin: (async function* () {
              yield new TextEncoder().encode(stdin);
            })(),
          }
        : {}),
    },
    new AbortController().signal,
  );
  return { ...exit, stdout, stderr };
}

describe.skipIf(!isolation.available)(
  `isolated containers${isolation.reason ? ` (${isolation.reason})` : ""}`,
  () => {
    let root: string;
    let runtime: ProcessRuntime;
    let pod: PodInfo;
    let tools: ContainerInfo;
    let app: ContainerInfo;

    beforeEach(async () => {
      root = await mkdtemp(join(tmpdir(), "quiesce-isolation-test-"));
      runtime = createProcessRuntime({ root, killGraceMs: 50 });
      const base = { namespace: "default", pod: "logger-0", podUid: "uid-abcdef12", argv: [], env: {} };
      const mounts = [{ name: "logs", mountPath: "/var/log", readOnly: false, claimName: "logs-logger-0" }];
      tools = { ...base, container: "tools", image: "ghcr.io/kanisterio/kanister-tools:0.119.0", mounts };
      app = { ...base, container: "app", image: "busybox", mounts };
      pod = { namespace: "default", pod: "logger-0", podUid: "uid-abcdef12", containers: [tools, app] };
      await runtime.startPod(pod);
    });

    afterEach(async () => {
      await runtime.stopPod(pod);
      runtime.close();
      await rm(root, { recursive: true, force: true });
    });

    it("maps absolute paths to the container's volumes, never to the host's", async () => {
      runtime.isolate({ image: "kanister-tools" });
      const marker = `quiesce-isolation-${process.pid}-${Date.now()}.log`;
      const wrote = await run(runtime, tools, [
        "sh",
        "-c",
        `echo entry > /var/log/${marker}; cat /var/log/${marker}; pwd`,
      ]);
      expect(wrote).toMatchObject({ exitCode: 0, stdout: "entry\n/\n" });
      expect(existsSync(join("/var/log", marker))).toBe(false);
      expect(await readFile(join(runtime.pvcDir("default", "logs-logger-0"), marker), "utf8")).toBe(
        "entry\n",
      );
      // A container without a rule keeps the pod-root convention (relative paths) and sees the same claim.
      const read = await run(runtime, app, ["cat", `var/log/${marker}`]);
      expect(read).toMatchObject({ exitCode: 0, stdout: "entry\n" });
    });

    it("keeps the container's own files between exec sessions, with the host's system directories read-only", async () => {
      runtime.isolate({ image: "kanister-tools" });
      expect((await run(runtime, tools, ["sh", "-c", "echo kept > /tmp/creds.txt"])).exitCode).toBe(0);
      expect(await run(runtime, tools, ["cat", "/tmp/creds.txt"])).toMatchObject({
        exitCode: 0,
        stdout: "kept\n",
      });
      const etc = await run(runtime, tools, ["sh", "-c", "touch /etc/quiesce-should-not-exist"]);
      expect(etc.exitCode).not.toBe(0);
      expect(existsSync("/etc/quiesce-should-not-exist")).toBe(false);
    });

    it("adds the rule's environment and host paths, and passes stdin through", async () => {
      const dir = await mkdtemp(join(tmpdir(), "quiesce-isolation-ca-"));
      const ca = join(dir, "ca.pem");
      await writeFile(ca, "not really a certificate\n");
      try {
        runtime.isolate({ image: "kanister-tools", env: { SSL_CERT_FILE: ca }, hostPaths: [ca] });
        const result = await run(
          runtime,
          tools,
          ["sh", "-c", 'read -r line; echo "$line"; cat "$SSL_CERT_FILE"'],
          "from stdin\n",
        );
        expect(result).toMatchObject({ exitCode: 0, stdout: "from stdin\nnot really a certificate\n" });
        const ro = await run(runtime, tools, ["sh", "-c", `echo x > ${ca}`]);
        expect(ro.exitCode).not.toBe(0);
        expect(await readFile(ca, "utf8")).toBe("not really a certificate\n");
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it("leaves no mount behind on the host, and refuses a mount path that climbs out of the container", async () => {
      runtime.isolate({ image: "kanister-tools" });
      expect((await run(runtime, tools, ["true"])).exitCode).toBe(0);
      const mountinfo = await readFile("/proc/self/mountinfo", "utf8");
      expect(mountinfo).not.toContain(root);
      const escaping = {
        ...tools,
        mounts: [{ name: "x", mountPath: "/../../etc", readOnly: false, claimName: "c" }],
      };
      const result = await run(runtime, escaping, ["true"]);
      expect(result.exitCode).toBe(126);
      expect(result.stderr).toContain('mount path "/../../etc" leaves the container\'s root');
    });
  },
);
