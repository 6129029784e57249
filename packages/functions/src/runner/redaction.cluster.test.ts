import { secretForms } from "@quiesce/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blueprintOf, startEnv, type TestEnv } from "../test-support/local.js";
import { runBlueprintAction } from "./run-action.js";

let env: TestEnv;
// Everything escaping changes: quotes, a backslash, a newline, a dollar, a space, <&>.
const PASSWORD = `r00t"pa\\ss\nw$rd <&> end`;

beforeAll(async () => {
  env = await startEnv(["app"]);
  await env.lc.apply([
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "db", namespace: "app" },
      stringData: { password: PASSWORD },
    },
    {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "db-0", namespace: "app" },
      spec: { containers: [{ name: "db", image: "example/db:1" }] },
    },
  ]);
  await env.lc.cluster.waitFor(
    { version: "v1", resource: "pods", namespace: "app", name: "db-0" },
    (p) => (p?.status as { phase?: string } | undefined)?.phase === "Running",
  );
});
afterAll(() => env.lc.stop());

const phase = (command: string[]) => ({
  func: "KubeExec",
  name: "login",
  objects: { creds: { kind: "Secret", name: "db", namespace: "app" } },
  args: { namespace: "app", pod: "db-0", command },
});
const withPassword = ["mysql", "-p{{ .Phases.login.Secrets.creds.Data.password | toString }}"];
const leaks = (result: unknown) => {
  const json = JSON.stringify(result);
  return secretForms(PASSWORD).filter((form) => json.includes(form));
};

describe("a Secret read by an action never reaches its result, in any form", () => {
  it("not through a timeout error that quotes the command as JSON", async () => {
    const undo = env.lc.runtime.onExec({ command: /^mysql/ }, async (ctx) => {
      await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve()));
      return {};
    });
    try {
      const result = await runBlueprintAction(blueprintOf([phase(withPassword)]), "run", {
        cluster: env.lc.cluster,
        registry: env.registry,
        subject: { kind: "Namespace", name: "app", namespace: "app" },
        // Long enough for the lookups before the command under load; the command's own timeout
        // (which quotes it) comes first because the function's calls get the phase's time left.
        phaseTimeouts: { login: "1s" },
      });
      expect(result.phases[0]?.error?.code).toBe("QUIESCE_TIMEOUT");
      expect(result.phases[0]?.error?.message).toContain('"mysql","-p[REDACTED]"');
      expect(leaks(result)).toEqual([]);
    } finally {
      undo();
    }
  });

  it("not through stderr cut to its tail, even when the cut falls inside the secret", async () => {
    // 4 KiB are kept: put the secret so that the cut splits it.
    const undo = env.lc.runtime.onExec({ command: /^mysql/ }, (ctx) => {
      const secret = ctx.argv[1]?.slice(2) ?? "";
      return { stderr: `access denied for ${secret}${"x".repeat(4096 - 10)}`, exitCode: 1 };
    });
    try {
      const result = await runBlueprintAction(blueprintOf([phase(withPassword)]), "run", {
        cluster: env.lc.cluster,
        registry: env.registry,
        subject: { kind: "Namespace", name: "app", namespace: "app" },
      });
      const error = result.phases[0]?.error;
      expect(error?.code).toBe("QUIESCE_EXEC_NONZERO_EXIT");
      expect(String(error?.details?.stderr).startsWith("…")).toBe(true);
      expect(String(error?.details?.stderr)).not.toContain("end");
      expect(leaks(result)).toEqual([]);
    } finally {
      undo();
    }
  });

  it("not URL-encoded or base64-encoded in output either", async () => {
    const undo = env.lc.runtime.onExec({ command: /^mysql/ }, (ctx) => {
      const secret = ctx.argv[1]?.slice(2) ?? "";
      return {
        stderr: `GET /login?pw=${encodeURIComponent(secret)}\nAuthorization: Basic ${Buffer.from(`root:${secret}`).toString("base64")}\n`,
        exitCode: 2,
      };
    });
    try {
      const result = await runBlueprintAction(blueprintOf([phase(withPassword)]), "run", {
        cluster: env.lc.cluster,
        registry: env.registry,
        subject: { kind: "Namespace", name: "app", namespace: "app" },
      });
      expect(result.phases[0]?.error?.details?.stderr).toContain("pw=[REDACTED]");
      expect(leaks(result)).toEqual([]);
    } finally {
      undo();
    }
  });
});
