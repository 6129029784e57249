import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerSecret } from "@quiesce/core";
import { createExecutorRegistry, type Executor } from "@quiesce/executors";
import { createRegistry } from "@quiesce/functions";
import { yamlAliasBomb, yamlOversize } from "@quiesce/testing";
import { fixturePath, readFixture } from "@quiesce/testing/corpus";
import { describe, expect, it } from "vitest";
import { createLifecycleEvents } from "./events.js";
import { runWithHooks } from "./lifecycle.js";
import { fileTemplates, inMemoryTemplates } from "./template-source.js";

const subject = { kind: "Deployment", namespace: "demo", name: "web" };

describe("hook specs other than HookTemplate references", () => {
  it("runs an inline action on a host-registered executor type, with the summary rendered into the command", async () => {
    const seen: string[][] = [];
    const recorder: Executor = {
      type: "Recorder",
      async targets() {
        return [{ kind: "Host", name: "recorder" }];
      },
      async run(_target, ctx) {
        const argv = ctx.action.exec?.command ?? [];
        seen.push([...argv]);
        return argv.includes("fail")
          ? { status: "failed", exitCode: 3, stderr: "nope\n" }
          : { status: "succeeded", stdout: "done\n" };
      },
    };
    const executorRegistry = createExecutorRegistry({ builtins: false });
    executorRegistry.register(recorder);
    const result = await runWithHooks(
      {
        subject,
        sessionName: "web-backup-1",
        invoker: { kind: "BackupConfiguration", name: "web" },
        executorRegistry,
        hooks: {
          pre: [
            {
              name: "announce",
              action: {
                exec: {
                  command: [
                    "announce",
                    "{{ .Name }}",
                    "{{ .Target.Kind }}/{{ .Target.Name }}",
                    // KubeStash's Summary: the phase is Succeeded until something failed, even in a pre hook.
                    "{{ .Status.Phase }} {{ .Invoker.Kind }}",
                  ],
                },
              },
              executor: { type: "Recorder" },
            },
          ],
          post: [
            {
              name: "report",
              action: { exec: { command: ["report", "{{ .Status.Phase }}", "{{ .Status.Error }}", "fail"] } },
              executor: { type: "Recorder" },
            },
          ],
        },
      },
      async () => {
        throw new Error("no space left");
      },
    );
    expect(seen).toEqual([
      ["announce", "web-backup-1", "Deployment/web", "Succeeded BackupConfiguration"],
      ["report", "Failed", "no space left", "fail"],
    ]);
    expect(result.hooks[1]?.attempts[0]).toMatchObject({ status: "failed", exitCode: 3, stderr: "nope\n" });
    expect(result.decidedBy).toBe("step-failed");
  });

  it("template syntax errors fail before anything runs; deterministic failures are not retried", async () => {
    const syntax = await runWithHooks(
      {
        subject,
        hooks: {
          pre: [
            {
              name: "bad",
              action: { exec: { command: ["echo", "{{ .Name "] } },
              executor: { type: "Operator" },
            },
          ],
        },
      },
      async () => {},
    );
    expect(syntax.decidedBy).toBe("hook-resolution-failed");
    expect(syntax.error?.message).toContain("spec.action.exec.command[1]");

    const badAction = await runWithHooks(
      {
        subject,
        hooks: {
          pre: [
            { name: "bad", action: { exec: { command: "sync" } } as never, executor: { type: "Operator" } },
          ],
        },
      },
      async () => {},
    );
    expect(badAction.error).toMatchObject({
      code: "QUIESCE_VALIDATION",
      message: expect.stringContaining("hooks.pre[0].action.exec.command"),
    });

    const missingKey = await runWithHooks(
      {
        subject,
        hooks: {
          pre: [
            {
              // KubeStash's Summary has no Params: Go's engine refuses the field.
              name: "reads-params",
              maxRetry: 3,
              params: { level: "loud" },
              action: { exec: { command: ["echo", "{{ .Params.level }}"] } },
              executor: { type: "Operator" },
            },
          ],
        },
      },
      async () => {},
    );
    expect(missingKey.hooks[0]?.attempts).toHaveLength(1);
    expect(missingKey.error?.code).toMatch(/^QUIESCE_TEMPLATE_/);

    const refused = await runWithHooks(
      {
        subject,
        hooks: {
          pre: [
            {
              name: "local-exec",
              maxRetry: 3,
              action: { exec: { command: ["true"] } },
              executor: { type: "Operator" },
            },
          ],
        },
      },
      async () => {},
    );
    expect(refused.hooks[0]?.attempts).toHaveLength(1);
    expect(refused.error?.code).toBe("QUIESCE_POLICY_REFUSED");
  });

  it("a Blueprint hook calling unregistered functions fails before anything runs, naming them", async () => {
    let stepRan = false;
    const result = await runWithHooks(
      {
        subject,
        functionRegistry: createRegistry(),
        hooks: {
          preHook: {
            blueprint: readFixture("kanister/queue-hooks-blueprint.yaml"),
            actionName: "drain",
          },
        },
      },
      async () => {
        stepRan = true;
      },
    );
    expect(stepRan).toBe(false);
    expect(result.decidedBy).toBe("hook-resolution-failed");
    expect(result.error?.message).toMatch(/hooks\.preHook\.blueprint: .*WaitV2.*KubeTask/);
    const missing = await runWithHooks(
      {
        subject,
        hooks: {
          onSuccess: {
            blueprint: readFixture("kanister/queue-hooks-blueprint.yaml"),
            actionName: "backup",
          },
        },
      },
      async () => {},
    );
    expect(missing.error?.message).toContain('has no action "backup" (actions: drain, resume)');
  });

  it("redacts registered secrets from results and events", async () => {
    const undo = registerSecret("hunter2-token");
    try {
      const events = createLifecycleEvents();
      const payloads: string[] = [];
      events.on("hook:failed", (e) => payloads.push(JSON.stringify(e)));
      const result = await runWithHooks(
        {
          subject,
          events,
          hooks: {
            pre: [
              {
                name: "leaky",
                async run() {
                  return {
                    status: "failed",
                    error: new Error("login with hunter2-token refused"),
                    targets: [{ name: "host", status: "failed", stdout: "token=hunter2-token\n" }],
                  };
                },
              },
            ],
          },
        },
        async () => {},
      );
      const text = JSON.stringify(result);
      expect(text).not.toContain("hunter2-token");
      expect(text).toContain("[REDACTED]");
      expect(payloads.join("")).not.toContain("hunter2-token");
      expect(payloads).toHaveLength(1);
    } finally {
      undo();
    }
  });
});

describe("template sources", () => {
  it("reads templates from YAML files, passing over the other documents among them", async () => {
    const source = fileTemplates([
      fixturePath("kubestash/fs-freeze-hooktemplate.yaml"),
      fixturePath("kubestash/chat-notify-hooktemplate.yaml"),
      fixturePath("kubestash/inventory-backupconfiguration.yaml"),
    ]);
    await expect(source.get({ name: "chat-notify", namespace: "shop" })).resolves.toMatchObject({
      spec: { executor: { type: "Operator" } },
    });
    await expect(source.get({ name: "fs-freeze", namespace: "shop" })).resolves.toMatchObject({
      metadata: { name: "fs-freeze" },
    });
    await expect(source.get({ name: "fs-freeze", namespace: "other" })).rejects.toMatchObject({
      code: "QUIESCE_HOOK_TEMPLATE_NOT_FOUND",
    });
  });

  it("refuses a file with an alias bomb or a document too large, naming the file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quiesce-templates-"));
    try {
      const bomb = join(dir, "bomb.yaml");
      writeFileSync(bomb, yamlAliasBomb("kind: HookTemplate\n"));
      const big = join(dir, "big.yaml");
      writeFileSync(big, `apiVersion: v1\nkind: ConfigMap\n---\n${yamlOversize("kind: HookTemplate\n")}`);
      await expect(fileTemplates([bomb]).get({ name: "x", namespace: "shop" })).rejects.toMatchObject({
        code: "QUIESCE_VALIDATION",
        message: `${bomb}: invalid document 1 YAML: Excessive alias count indicates a resource exhaustion attack`,
      });
      await expect(fileTemplates([big]).get({ name: "x", namespace: "shop" })).rejects.toMatchObject({
        code: "QUIESCE_VALIDATION",
        message: `${big}: invalid document 2: copies: expands to more than 1000000 values (shared subtrees or YAML aliases repeat it)`,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("validates in-memory templates up front", () => {
    expect(() => inMemoryTemplates([{ kind: "HookTemplate" }])).toThrow(/apiVersion/);
  });
});
