import { CORPUS_TAG, readCorpus, readFixture } from "@quiesce/testing/corpus";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderAction } from "./render.js";
import { runAction } from "./run-action.js";
import { startHttpServer, type TestHttpServer } from "./test-support/servers.js";

const node = process.execPath;

// stashed/apimachinery pkg/hooks/hook.go renderHookTemplate: the exec command and the httpPost body,
// both when an action has both handlers.
describe("renderAction", () => {
  it("renders the exec command and the httpPost body of one action", () => {
    const out = renderAction(
      { exec: { command: ["echo", "{{ .Name }}"] }, httpPost: { port: 80, body: " {{ .Namespace }} " } },
      { Name: "s-1", Namespace: "prod" },
    );
    expect(out.exec?.command).toEqual(["echo", "s-1"]);
    expect(out.httpPost?.body).toBe("prod");
  });
});

describe("templated fields rendered from templateData", () => {
  let server: TestHttpServer;
  beforeAll(async () => {
    server = await startHttpServer((_req, res) => res.end("ok"));
  });
  afterAll(() => server.close());

  it("renders each exec command element, and runs it without a shell", async () => {
    const result = await runAction({
      action: { exec: { command: [node, "-e", "console.log(process.argv[1])", "{{ .Namespace }};$(id)"] } },
      executor: { type: "Operator" },
      namespace: "default",
      allowLocalExec: true,
      templateData: { Namespace: "prod" },
    });
    expect(result.targets[0]?.stdout).toBe("prod;$(id)\n");
  });

  it("leaves templates verbatim when no templateData is given (the caller rendered them)", async () => {
    const result = await runAction({
      action: { exec: { command: [node, "-e", "console.log(process.argv[1])", "{{ .Namespace }}"] } },
      executor: { type: "Operator" },
      namespace: "default",
      allowLocalExec: true,
    });
    expect(result.targets[0]?.stdout).toBe("{{ .Namespace }}\n");
  });

  it("renders a missing key as <no value> (missingkey=default) and fails the run, running nothing, when a template fails", async () => {
    const missing = renderAction(
      { exec: { command: ["echo", " {{ .Status.Phase }}\n"] } },
      { Namespace: "prod" },
    );
    expect(missing.exec?.command).toEqual(["echo", "<no value>"]);
    const result = await runAction({
      action: {
        httpPost: {
          scheme: "HTTP",
          host: "127.0.0.1",
          port: server.port,
          body: '{{ fail "no status yet" }}',
        },
      },
      executor: { type: "Operator" },
      namespace: "default",
      templateData: { Namespace: "prod" },
    });
    const before = server.requests.length;
    expect(result.status).toBe("failed");
    expect(result.targets).toEqual([]);
    expect(result.error?.code).toMatch(/^QUIESCE_TEMPLATE_/);
    expect(server.requests.length).toBe(before);
  });

  it("bounds the rendering: a runaway command fails the run, running nothing; templateLimits sets the bounds", async () => {
    const command = [node, "-e", "console.log(process.argv[1].length)", "{{ range until 3000 }}x{{ end }}"];
    const run = (limits?: { maxSteps: number }) =>
      runAction({
        action: { exec: { command } },
        executor: { type: "Operator" },
        namespace: "default",
        allowLocalExec: true,
        templateData: {},
        ...(limits ? { templateLimits: limits } : {}),
      });
    const limited = await run({ maxSteps: 1000 });
    expect(limited.status).toBe("failed");
    expect(limited.targets).toEqual([]);
    expect(limited.error).toMatchObject({
      code: "QUIESCE_TEMPLATE_LIMIT",
      message: expect.stringMatching(/limits\.maxSteps/),
    });
    expect((await run()).targets[0]?.stdout).toBe("3000\n");
  });

  it("posts the chat-notify hook's JSON body, rendered from the session summary, with its headers", async () => {
    const doc = parse(readFixture("kubestash/chat-notify-hooktemplate.yaml")) as {
      spec: { action: { httpPost: Record<string, unknown> }; executor: unknown };
    };
    // Same hook, pointed at the local receiver instead of chat.example.com.
    const action = {
      httpPost: { ...doc.spec.action.httpPost, host: "127.0.0.1", port: server.port, scheme: "HTTP" },
    };
    const summary = (Status: Record<string, string>) => ({
      Name: "inventory-nightly-1700000000",
      Namespace: "shop",
      Target: { Kind: "StatefulSet", Name: "inventory-db", Namespace: "shop" },
      Status,
    });
    const bodies: unknown[] = [];
    for (const Status of [
      { Phase: "Succeeded", Duration: "41s", Error: "" },
      { Phase: "Failed", Duration: "3s", Error: 'repository "inventory-repo" is locked' },
    ]) {
      const result = await runAction({
        action,
        executor: doc.spec.executor,
        namespace: "shop",
        templateData: summary(Status),
      });
      expect(result.status).toBe("succeeded");
      const seen = server.requests.at(-1);
      expect(seen?.method).toBe("POST");
      expect(seen?.url).toBe("/hooks/backups");
      expect(seen?.headers["content-type"]).toBe("application/json");
      expect(seen?.headers["x-source"]).toBe("kubestash");
      bodies.push(JSON.parse(seen?.body ?? ""));
    }
    expect(bodies).toEqual([
      {
        channel: "#backups",
        text: "inventory-nightly-1700000000 of shop/inventory-db succeeded in 41s",
        ok: true,
      },
      {
        channel: "#backups",
        text: 'inventory-nightly-1700000000 of shop/inventory-db FAILED: repository "inventory-repo" is locked',
        ok: false,
      },
    ]);
  });

  it("posts the KubeStash Slack hook's rendered JSON body to a local receiver", {
    tags: [CORPUS_TAG],
  }, async () => {
    const doc = parse(readCorpus("kubestash/slack-notification__hooktemplate.yaml")) as {
      spec: { action: { httpPost: Record<string, unknown> }; executor: unknown };
    };
    // Same hook, pointed at the local receiver instead of hooks.slack.com.
    const action = {
      httpPost: { ...doc.spec.action.httpPost, host: "127.0.0.1", port: server.port, scheme: "HTTP" },
    };
    const summary = {
      Name: "sample-backup-frequent-backup-1700000000",
      Namespace: "demo",
      Target: { Kind: "DaemonSet", Name: "ks-demo", Namespace: "demo" },
      Status: { Phase: "Failed", Duration: "12s", Error: "repository not reachable" },
    };
    const result = await runAction({
      action,
      executor: doc.spec.executor,
      namespace: "demo",
      templateData: summary,
    });
    expect(result.status).toBe("succeeded");
    const seen = server.requests.at(-1);
    expect(seen?.url).toBe("/services/XX/XX/XX");
    expect(seen?.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(seen?.body ?? "") as {
      blocks: Array<{ type: string; text: { type: string; text: string } }>;
    };
    expect(body.blocks[0]?.text).toEqual({
      type: "mrkdwn",
      text: "Backup failed for demo/ks-demo Status: repository not reachable.",
    });
  });
});
