import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { CORPUS_TAG, corpusFiles, fixtureFiles, readCorpus, readFixture } from "@quiesce/testing/corpus";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { actionHandlers, actionKind } from "./action-schema.js";
import { parseAction, parseExecutor } from "./validate.js";

function validationMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(QuiesceError.is(err, ErrorCodes.VALIDATION)).toBe(true);
    return (err as Error).message;
  }
  throw new Error("expected a validation error");
}

interface TemplateDoc {
  kind: string;
  metadata: { name: string };
  spec: { action: unknown; executor: unknown };
}

describe("the KubeStash fixtures", () => {
  const templates = fixtureFiles("kubestash")
    .map((f) => parse(readFixture(`kubestash/${f}`)) as TemplateDoc)
    .filter((doc) => doc.kind === "HookTemplate");
  const byName = (name: string) => {
    const doc = templates.find((t) => t.metadata.name === name);
    if (!doc) throw new Error(`no fixture HookTemplate ${name}`);
    return {
      action: parseAction(doc.spec.action, "spec.action"),
      executor: parseExecutor(doc.spec.executor, "spec.executor"),
    };
  };

  it("validates every HookTemplate's action and executor", () => {
    expect(templates.map((t) => t.metadata.name).sort()).toEqual([
      "chat-notify",
      "fs-freeze",
      "fs-unfreeze",
      "reindex",
    ]);
    for (const t of templates) {
      expect(() => parseAction(t.spec.action, "spec.action"), t.metadata.name).not.toThrow();
      expect(() => parseExecutor(t.spec.executor, "spec.executor"), t.metadata.name).not.toThrow();
    }
  });

  it("reads a Pod executor's multi-label selector, strategy and container", () => {
    const freeze = byName("fs-freeze");
    expect(actionKind(freeze.action)).toBe("exec");
    expect(freeze.action.containerName).toBe("db");
    expect(freeze.executor).toMatchObject({
      type: "Pod",
      pod: {
        selector: "app.kubernetes.io/name=inventory, app.kubernetes.io/component=database",
        strategy: "ExecuteOnAll",
      },
    });
    expect(byName("reindex").executor.pod?.strategy).toBeUndefined();
  });

  it("reads an Operator executor's httpPost with headers and a templated body", () => {
    const chat = byName("chat-notify");
    expect(chat.executor.type).toBe("Operator");
    expect(chat.action.httpPost).toMatchObject({
      host: "chat.example.com",
      path: "/hooks/backups",
      port: 443,
      scheme: "HTTPS",
      httpHeaders: [
        { name: "Content-Type", value: "application/json" },
        { name: "X-Source", value: "kubestash" },
      ],
    });
    expect(chat.action.httpPost?.body).toContain("toJson $text");
  });
});

describe("the KubeStash corpus", { tags: [CORPUS_TAG] }, () => {
  const templates = corpusFiles("kubestash")
    .map((f) => parse(readCorpus(`kubestash/${f}`)) as TemplateDoc)
    .filter((doc) => doc.kind === "HookTemplate");

  it("has HookTemplates to check", () => {
    expect(templates.length).toBeGreaterThanOrEqual(4);
  });

  it.each(templates.map((t) => [t.metadata.name, t] as const))(
    "%s: action and executor validate",
    (_name, doc) => {
      const action = parseAction(doc.spec.action, "spec.action");
      const executor = parseExecutor(doc.spec.executor, "spec.executor");
      expect(["exec", "httpPost"]).toContain(actionKind(action));
      expect(["Pod", "Operator"]).toContain(executor.type);
      if (executor.type === "Pod") {
        expect(executor.pod?.selector).toContain("app.kubernetes.io/instance=sample-mysql");
        expect(executor.pod?.strategy).toBe("ExecuteOnAll");
        expect(action.containerName).toBe("mysql");
      } else {
        expect(action.httpPost?.port).toBe(443);
        expect(action.httpPost?.scheme).toBe("HTTPS");
        expect(action.httpPost?.body).toContain("toJson $msg");
      }
    },
  );
});

describe("actionSchema", () => {
  it("accepts each handler with containerName, a named or numeric port", () => {
    expect(actionKind(parseAction({ exec: { command: ["true"] }, containerName: "db" }))).toBe("exec");
    expect(parseAction({ httpGet: { port: "http-metrics", path: "/x" } }).httpGet?.port).toBe("http-metrics");
    expect(parseAction({ tcpSocket: { port: "5432" } }).tcpSocket?.port).toBe("5432");
    const post = parseAction({ httpPost: { port: 80, form: [{ key: "a", values: ["1", "2"] }] } });
    expect(post.httpPost?.form?.[0]?.values).toEqual(["1", "2"]);
  });

  // kmodules.xyz/prober probe/prober.go executeProbe runs every handler of the Handler in turn;
  // KubeStash's webhook (webhooks/core/v1alpha1/hooktemplate.go) only checks that an action is there.
  it("accepts several handlers, listed in the order the prober runs them", () => {
    const action = parseAction({ tcpSocket: { port: 5432 }, exec: { command: ["true"] } }, "spec.action");
    expect(actionHandlers(action)).toEqual(["exec", "tcpSocket"]);
    expect(actionKind(action)).toBe("exec");
  });

  it("rejects an action without a handler", () => {
    expect(validationMessage(() => parseAction({ containerName: "db" }))).toContain("found none");
  });

  it("rejects body and form together", () => {
    const msg = validationMessage(() =>
      parseAction({ httpPost: { port: 80, body: "x", form: [{ key: "a" }] } }),
    );
    expect(msg).toContain("action.httpPost.form: httpPost takes either body or form, not both");
  });

  it("names the path of a bad field inside an array", () => {
    const msg = validationMessage(() =>
      parseAction({ httpGet: { port: 80, httpHeaders: [{ name: "", value: "v" }] } }, "spec.action"),
    );
    expect(msg).toContain("spec.action.httpGet.httpHeaders[0].name");
  });

  it("rejects unknown keys, out-of-range ports, bad schemes and an empty command", () => {
    expect(validationMessage(() => parseAction({ exec: { command: ["x"], shell: true } }))).toContain(
      "action.exec",
    );
    expect(validationMessage(() => parseAction({ tcpSocket: { port: 70000 } }))).toContain(
      "action.tcpSocket.port",
    );
    expect(validationMessage(() => parseAction({ httpGet: { port: 80, scheme: 443 } }))).toContain(
      "action.httpGet.scheme",
    );
    expect(validationMessage(() => parseAction({ exec: { command: [] } }))).toContain("argv[0]");
    expect(validationMessage(() => parseAction({ httpGet: { port: "Not A Port" } }))).toContain("named port");
  });
});

describe("executorSchema", () => {
  it("accepts the three built-in types", () => {
    expect(parseExecutor({ type: "Operator" }).type).toBe("Operator");
    expect(
      parseExecutor({
        type: "Pod",
        pod: { selector: "app=web, env=prod", owner: { kind: "Deployment", name: "web" } },
      }).pod?.owner?.kind,
    ).toBe("Deployment");
    expect(
      parseExecutor({ type: "Function", function: { name: "pg-hook", env: [{ name: "A", value: "1" }] } })
        .function?.name,
    ).toBe("pg-hook");
  });

  it("rejects a Pod executor without a selector", () => {
    expect(validationMessage(() => parseExecutor({ type: "Pod" }, "spec.executor"))).toContain(
      "spec.executor.pod: executor type Pod needs executor.pod with a selector",
    );
    expect(validationMessage(() => parseExecutor({ type: "Pod", pod: { selector: "  " } }))).toContain(
      "executor.pod.selector",
    );
  });

  it("rejects blocks that do not belong to the type", () => {
    expect(validationMessage(() => parseExecutor({ type: "Operator", pod: { selector: "a=b" } }))).toContain(
      "executor.pod is only valid with type Pod (type is Operator)",
    );
    expect(validationMessage(() => parseExecutor({ type: "Function" }))).toContain("needs executor.function");
    expect(
      validationMessage(() =>
        parseExecutor({ type: "Pod", pod: { selector: "a=b", strategy: "ExecuteOnOnce" } }),
      ),
    ).toContain("executor.pod.strategy");
  });

  it("accepts a host's own PascalCase type and rejects a malformed one", () => {
    expect(parseExecutor({ type: "Webhook" }).type).toBe("Webhook");
    expect(validationMessage(() => parseExecutor({ type: "pod" }))).toContain("executor.type");
  });
});
