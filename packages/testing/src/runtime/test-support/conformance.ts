/** The behaviour every ContainerRuntime must show, run against each implementation. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ContainerInfo, ContainerRuntime, PodInfo } from "../types.js";

/** How a suite makes a command behave on the runtime under test; returns the argv to run. */
export interface Behaviour {
  stdout?: string;
  stderr?: string;
  exitCode?: number;
  /** Copy stdin to stdout. */
  echoStdin?: boolean;
  /** Run until aborted. */
  hang?: boolean;
  /** Write this many zero bytes to stdout. */
  zeroBytes?: number;
}

export interface RuntimeUnderTest {
  runtime: ContainerRuntime;
  define(behaviour: Behaviour): string[];
  cleanup(): Promise<void>;
}

const decoder = new TextDecoder();

function containerInfo(argv: string[] = []): ContainerInfo {
  return {
    namespace: "default",
    pod: "pod-a",
    podUid: "0123456789abcdef",
    container: "app",
    image: "busybox:1.36",
    argv,
    env: { GREETING: "hi" },
    mounts: [],
  };
}

function collector() {
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  return {
    io: {
      stdout: (c: Uint8Array) => void out.push(c.slice()),
      stderr: (c: Uint8Array) => void err.push(c.slice()),
    },
    stdout: () => decoder.decode(Buffer.concat(out)),
    stderr: () => decoder.decode(Buffer.concat(err)),
    bytes: () => out.reduce((n, c) => n + c.length, 0),
  };
}

export function runtimeConformance(
  name: string,
  make: () => Promise<RuntimeUnderTest> | RuntimeUnderTest,
): void {
  describe(`ContainerRuntime conformance: ${name}`, () => {
    let rt: RuntimeUnderTest;
    let pod: PodInfo;
    beforeEach(async () => {
      rt = await make();
      pod = { namespace: "default", pod: "pod-a", podUid: "0123456789abcdef", containers: [containerInfo()] };
      await rt.runtime.startPod?.(pod);
    });
    afterEach(async () => {
      await rt.runtime.stopPod?.(pod);
      await rt.runtime.close?.();
      await rt.cleanup();
    });

    it("exec returns the exit code with stdout and stderr kept apart", async () => {
      const argv = rt.define({ stdout: "out\n", stderr: "err\n", exitCode: 3 });
      const c = collector();
      const exit = await rt.runtime.exec(containerInfo(), argv, c.io, new AbortController().signal);
      expect(exit.exitCode).toBe(3);
      expect(c.stdout()).toBe("out\n");
      expect(c.stderr()).toBe("err\n");
    });

    it("exec passes stdin through", async () => {
      const argv = rt.define({ echoStdin: true });
      const c = collector();
      async function* stdin() {
        yield new TextEncoder().encode("line 1\n");
        yield new TextEncoder().encode("line 2\n");
      }
      const exit = await rt.runtime.exec(
        containerInfo(),
        argv,
        { ...c.io, stdin: stdin() },
        new AbortController().signal,
      );
      expect(exit.exitCode).toBe(0);
      expect(c.stdout()).toBe("line 1\nline 2\n");
    });

    it("an aborted exec ends with a non-zero exit code", async () => {
      const argv = rt.define({ hang: true });
      const c = collector();
      const controller = new AbortController();
      const running = rt.runtime.exec(containerInfo(), argv, c.io, controller.signal);
      setTimeout(() => controller.abort(new Error("client went away")), 20);
      const exit = await running;
      expect(exit.exitCode).toBeGreaterThan(128);
    });

    it("delivers large output completely through a slow (backpressuring) sink", async () => {
      const total = 2 * 1024 * 1024;
      const argv = rt.define({ zeroBytes: total });
      let received = 0;
      let writes = 0;
      const exit = await rt.runtime.exec(
        containerInfo(),
        argv,
        {
          stdout: async (chunk) => {
            received += chunk.length;
            if (++writes % 8 === 0) await new Promise((r) => setTimeout(r, 1));
          },
          stderr: () => {},
        },
        new AbortController().signal,
      );
      expect(exit.exitCode).toBe(0);
      expect(received).toBe(total);
    });

    it("runs a main process to its exit code, and reports nothing to run without a command or handler", async () => {
      const argv = rt.define({ stdout: "main\n", exitCode: 0 });
      const c = collector();
      const process = rt.runtime.run(containerInfo(argv), c.io, new AbortController().signal);
      expect(process).toBeDefined();
      expect((await process)?.exitCode).toBe(0);
      expect(c.stdout()).toBe("main\n");
      expect(rt.runtime.run(containerInfo([]), c.io, new AbortController().signal)).toBeUndefined();
    });
  });
}
