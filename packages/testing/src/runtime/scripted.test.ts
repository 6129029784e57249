import { describe, expect, it } from "vitest";
import { emitBytes } from "./emit-bytes.js";
import { createScriptedRuntime } from "./scripted.js";
import { runtimeConformance } from "./test-support/conformance.js";
import type { ContainerInfo } from "./types.js";

runtimeConformance("scripted", () => {
  const runtime = createScriptedRuntime();
  let n = 0;
  return {
    runtime,
    define(behaviour) {
      const argv = ["behaviour", String(++n)];
      const handler = async (ctx: Parameters<Parameters<typeof runtime.onExec>[1]>[0]) => {
        if (behaviour.hang) {
          await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
          return { exitCode: 0 };
        }
        if (behaviour.echoStdin && ctx.stdin) for await (const chunk of ctx.stdin) await ctx.stdout(chunk);
        if (behaviour.zeroBytes)
          return emitBytes(behaviour.zeroBytes, { fill: new Uint8Array(64 * 1024) })(ctx);
        return {
          stdout: behaviour.stdout ?? "",
          stderr: behaviour.stderr ?? "",
          exitCode: behaviour.exitCode ?? 0,
        };
      };
      runtime.onExec({ command: argv.join(" ") }, handler);
      runtime.onRun({ command: argv.join(" ") }, handler);
      return argv;
    },
    cleanup: async () => {},
  };
});

const info = (overrides: Partial<ContainerInfo> = {}): ContainerInfo => ({
  namespace: "shop",
  pod: "db-0",
  podUid: "uid-1",
  container: "postgres",
  image: "docker.io/library/postgres:16",
  argv: [],
  env: {},
  mounts: [],
  ...overrides,
});

const decoder = new TextDecoder();

async function execText(
  runtime: ReturnType<typeof createScriptedRuntime>,
  argv: string[],
  container = info(),
) {
  let stdout = "";
  let stderr = "";
  const exit = await runtime.exec(
    container,
    argv,
    {
      stdout: (c) => {
        stdout += decoder.decode(c);
      },
      stderr: (c) => {
        stderr += decoder.decode(c);
      },
    },
    new AbortController().signal,
  );
  return { ...exit, stdout, stderr };
}

describe("scripted runtime", () => {
  it("answers an unscripted exec with exit 126 and says what to register", async () => {
    const runtime = createScriptedRuntime();
    const result = await execText(runtime, ["pg_dump", "-U", "app"]);
    expect(result.exitCode).toBe(126);
    expect(result.stderr).toBe(
      'quiesce local cluster: no scripted handler for "pg_dump -U app" in db-0/postgres\n',
    );
  });

  it("matches by image name, container, pod and command; the latest registration wins", async () => {
    const runtime = createScriptedRuntime();
    runtime.onExec({ image: "postgres" }, () => ({ stdout: "by image" }));
    runtime.onExec({ pod: /^db-/, container: "postgres", command: /^psql / }, () => ({
      stdout: "by command",
    }));
    expect((await execText(runtime, ["psql", "-c", "select 1"])).stdout).toBe("by command");
    expect((await execText(runtime, ["ls"])).stdout).toBe("by image");
    expect((await execText(runtime, ["ls"], info({ image: "mysql:8" }))).exitCode).toBe(126);
    const undo = runtime.onExec({ command: (argv) => argv[0] === "ls" }, () => ({
      stdout: "override",
      exitCode: 4,
    }));
    expect(await execText(runtime, ["ls"])).toMatchObject({ stdout: "override", exitCode: 4 });
    undo();
    expect((await execText(runtime, ["ls"])).stdout).toBe("by image");
  });

  it("reports a throwing handler as exit 1 with the error on stderr", async () => {
    const runtime = createScriptedRuntime();
    runtime.onExec({ command: "boom" }, () => {
      throw new Error("kaboom");
    });
    const result = await execText(runtime, ["boom"]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("kaboom");
  });

  it("shares files under a PVC mount between pods of one claim, not pod-local files", async () => {
    const runtime = createScriptedRuntime();
    runtime.onExec({ command: /^write / }, (ctx) => {
      ctx.files.write(`/data/${ctx.argv[1]}`, "shared");
      ctx.files.write("/tmp/local", "mine");
    });
    runtime.onExec({ command: "list" }, (ctx) => ({ stdout: ctx.files.list().join(",") }));
    const mounts = [{ name: "data", mountPath: "/data", readOnly: false, claimName: "data-db-0" }];
    await execText(runtime, ["write", "a.txt"], info({ mounts }));
    const other = info({
      pod: "restore",
      podUid: "uid-2",
      mounts: [{ name: "vol", mountPath: "/data", readOnly: false, claimName: "data-db-0" }],
    });
    expect((await execText(runtime, ["list"], other)).stdout).toBe("/data/a.txt");
    expect((await execText(runtime, ["list"], info({ mounts }))).stdout).toBe("/data/a.txt,/tmp/local");
    const claim = runtime.claimFiles("shop", "data-db-0");
    expect(claim.list()).toEqual(["/a.txt"]);
    expect(claim.readText("/a.txt")).toBe("shared");
    claim.write("/seed.sql", "-- seed");
    expect((await execText(runtime, ["list"], other)).stdout).toBe("/data/a.txt,/data/seed.sql");
  });
});
