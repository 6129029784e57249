import { CORPUS_TAG, readCorpus, readFixture } from "@quiesce/testing/corpus";
import { describe, expect, it, vi } from "vitest";
import { type HookReference, loadHookReferences } from "./hook-reference.js";
import { loadHookTemplate } from "./hook-template.js";
import { loadVeleroHooks } from "./velero/load.js";

const read = (name: string) => readCorpus(`kubestash/${name}`);
const corpus = { tags: [CORPUS_TAG] };

const fixture = (name: string) => readFixture(`kubestash/${name}`);

describe("loadHookTemplate", () => {
  it("loads the fixture templates with their usage policies, params and executors", () => {
    const freeze = loadHookTemplate(fixture("fs-freeze-hooktemplate.yaml"));
    expect(freeze.metadata).toEqual({ name: "fs-freeze", namespace: "shop" });
    expect(freeze.spec.usagePolicy?.allowedNamespaces?.from).toBe("All");
    expect(freeze.spec.executor).toMatchObject({ type: "Pod", pod: { strategy: "ExecuteOnAll" } });
    const reindex = loadHookTemplate(fixture("reindex-hooktemplate.yaml"));
    expect(reindex.spec.usagePolicy?.allowedNamespaces).toEqual({
      from: "Selector",
      selector: { matchLabels: { "shop.example.com/environment": "production" } },
    });
    const chat = loadHookTemplate(fixture("chat-notify-hooktemplate.yaml"));
    expect(chat.spec.executor.type).toBe("Operator");
    expect(chat.spec.action?.httpPost?.httpHeaders).toHaveLength(2);
  });

  it.each([
    "backup-and-restore-hooks__hooktemplate.yaml",
    "backup-and-restore-hooks__hooktemplate-post.yaml",
    "backup-and-restore-hooks__hooktemplate-post-rs.yaml",
    "slack-notification__hooktemplate.yaml",
    "slack-notification__hooktemplate_failed.yaml",
  ])("loads the corpus template %s", corpus, (file) => {
    const t = loadHookTemplate(read(file));
    expect(t.metadata.namespace).toBe("demo");
    expect(t.spec.usagePolicy?.allowedNamespaces?.from).toBe("All");
  });

  const base = {
    apiVersion: "core.kubestash.com/v1alpha1",
    kind: "HookTemplate",
    metadata: { name: "t", namespace: "demo" },
    spec: { action: { exec: { command: ["true"] } }, executor: { type: "Pod", pod: { selector: "app=db" } } },
  };

  it("prints no process warning for a collection used as a map key (a library writes nothing to stderr)", () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    try {
      expect(() => loadHookTemplate("? [a, b]\n: 1\n")).toThrow();
      loadVeleroHooks("? {x: 1}\n: 1\n");
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it("rejects unknown keys with their path", () => {
    expect(() =>
      loadHookTemplate({ ...base, spec: { ...base.spec, usagePolicy: { allowedNamespace: {} } } }),
    ).toThrow(/spec\.usagePolicy.*allowedNamespace/);
    expect(() =>
      loadHookTemplate({
        ...base,
        spec: { ...base.spec, action: { exec: { command: ["true"], shell: true } } },
      }),
    ).toThrow(/spec\.action\.exec.*shell/);
  });

  it("names what was expected", () => {
    expect(() =>
      loadHookTemplate({
        ...base,
        spec: { ...base.spec, usagePolicy: { allowedNamespaces: { from: "Some" } } },
      }),
    ).toThrow(/spec\.usagePolicy\.allowedNamespaces\.from/);
    expect(() =>
      loadHookTemplate({
        ...base,
        spec: { ...base.spec, usagePolicy: { allowedNamespaces: { from: "Selector" } } },
      }),
    ).toThrow(/spec\.usagePolicy\.allowedNamespaces\.selector: from: Selector needs a selector/);
    expect(() =>
      loadHookTemplate({ ...base, spec: { ...base.spec, params: [{ name: "A" }, { name: "A" }] } }),
    ).toThrow(/spec\.params\[1\]\.name: duplicate param "A"/);
    expect(() => loadHookTemplate("kind: [")).toThrow(/^invalid HookTemplate YAML: /);
  });

  it("follows KubeStash's HookTemplate webhook: an action only for non-Function executors, key=value selectors", () => {
    const fn = loadHookTemplate({
      ...base,
      spec: { executor: { type: "Function", function: { name: "notify-fn" } } },
    });
    expect(fn.spec.action).toBeUndefined();
    expect(() => loadHookTemplate({ ...base, spec: { executor: base.spec.executor } })).toThrow(
      /spec\.action: action can not be empty for a Pod executor/,
    );
    expect(
      loadHookTemplate({
        ...base,
        spec: { ...base.spec, executor: { type: "Pod", pod: { selector: "app=db, tier!=cache" } } },
      }).spec.executor.pod?.selector,
    ).toBe("app=db, tier!=cache");
    expect(() =>
      loadHookTemplate({
        ...base,
        spec: { ...base.spec, executor: { type: "Pod", pod: { selector: "app in (db,cache)" } } },
      }),
    ).toThrow(/spec\.executor\.pod\.selector: invalid selector for the Pod executor/);
  });
});

describe("loadHookReferences", () => {
  it("extracts a BackupConfiguration session's pre and post hooks with their policies", () => {
    const loaded = loadHookReferences(fixture("inventory-backupconfiguration.yaml"));
    expect(loaded).toMatchObject({
      kind: "BackupConfiguration",
      name: "inventory-nightly",
      namespace: "shop",
      warnings: [],
    });
    expect(loaded.target).toEqual({
      apiGroup: "apps",
      kind: "StatefulSet",
      name: "inventory-db",
      namespace: "shop",
    });
    expect(loaded.sets.map((s) => s.session)).toEqual(["nightly"]);
    const [set] = loaded.sets;
    const summary = (h: HookReference) => [
      h.name,
      h.hookTemplate.name,
      h.maxRetry,
      h.timeout,
      h.executionPolicy,
    ];
    expect(set?.pre.map(summary)).toEqual([["freeze-data", "fs-freeze", 2, "20s", undefined]]);
    expect(set?.post.map(summary)).toEqual([
      ["unfreeze-data", "fs-unfreeze", undefined, "20s", "Always"],
      ["tell-chat", "chat-notify", 1, "15s", "OnFailure"],
    ]);
  });

  it("extracts a RestoreSession's postRestore hook, and warns about a pre-named hook under postRestore", () => {
    const restore = loadHookReferences(fixture("inventory-restoresession.yaml"));
    expect(restore).toMatchObject({ kind: "RestoreSession", name: "inventory-restore", warnings: [] });
    expect(restore.sets).toEqual([
      {
        session: "inventory-restore",
        pre: [],
        post: [
          { name: "rebuild-index", hookTemplate: { name: "reindex", namespace: "shop" }, timeout: "2m" },
        ],
      },
    ]);
    const misplaced = loadHookReferences(fixture("misplaced-hook-restoresession.yaml"));
    expect(misplaced.sets[0]?.post.map((h) => h.name)).toEqual(["pre-restore-check"]);
    expect(misplaced.warnings).toEqual([
      'spec.hooks.postRestore[0] is named "pre-restore-check" but is declared under postRestore; it runs after the step',
    ]);
  });

  it("extracts the hooks of the corpus BackupConfigurations", corpus, () => {
    const loaded = loadHookReferences(read("backup-and-restore-hooks__post_backup_hook_demo.yaml"));
    expect(loaded).toMatchObject({
      kind: "BackupConfiguration",
      name: "sample-backup",
      namespace: "demo",
      warnings: [],
    });
    expect(loaded.target).toEqual({
      apiGroup: "kubedb.com",
      kind: "MySQL",
      name: "sample-mysql",
      namespace: "demo",
    });
    const [set] = loaded.sets;
    expect(set?.pre.map((h) => [h.name, h.hookTemplate.name, h.maxRetry, h.timeout])).toEqual([
      ["pre-hook", "readonly-hook", 3, "30s"],
    ]);
    expect(set?.post.map((h) => h.name)).toEqual(["post-hook"]);

    const slack = loadHookReferences(read("slack-notification__failed_backup_notification.yaml"));
    expect(slack.sets[0]?.post[0]).toMatchObject({
      name: "slack-notification",
      executionPolicy: "OnFailure",
    });
  });

  it("reports the RestoreSession whose pre hook sits under postRestore as a warning", corpus, () => {
    const loaded = loadHookReferences(read("backup-and-restore-hooks__pre_restore_hook_demo.yaml"));
    expect(loaded.kind).toBe("RestoreSession");
    expect(loaded.sets[0]?.post.map((h) => h.name)).toEqual(["pre-hook"]);
    expect(loaded.warnings).toEqual([
      'spec.hooks.postRestore[0] is named "pre-hook" but is declared under postRestore; it runs after the step',
    ]);
  });

  it("rejects a unit-less timeout with the path of the reference", () => {
    const doc = {
      apiVersion: "core.kubestash.com/v1alpha1",
      kind: "RestoreSession",
      metadata: { name: "r", namespace: "demo" },
      spec: { hooks: { preRestore: [{ name: "h", hookTemplate: { name: "t" }, timeout: 30 }] } },
    };
    expect(() => loadHookReferences(doc)).toThrow(
      /spec\.hooks\.preRestore\[0\]\.timeout: invalid duration "30": missing unit/,
    );
    doc.spec.hooks.preRestore[0] = {
      name: "h",
      hookTemplate: { name: "t" },
      timeout: 30,
      retries: 1,
    } as never;
    expect(() => loadHookReferences(doc)).toThrow(/retries/);
  });
});
