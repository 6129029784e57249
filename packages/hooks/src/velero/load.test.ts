import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { CORPUS_TAG, readCorpus, readFixture } from "@quiesce/testing/corpus";
import { describe, expect, it } from "vitest";
import { parseVeleroAnnotations, parseVeleroCommand } from "./annotations.js";
import { globSetMatches, includedBy, matchesGlob, podsIncluded } from "./glob.js";
import { loadVeleroHooks } from "./load.js";
import { selectorString } from "./selection.js";

const read = (name: string) => readCorpus(`velero/${name}`);
const corpus = { tags: [CORPUS_TAG] };

function thrown(fn: () => unknown): QuiesceError {
  try {
    fn();
  } catch (err) {
    if (err instanceof QuiesceError) return err;
    throw err;
  }
  throw new Error("expected a QuiesceError");
}

const fixture = (name: string) => readFixture(`velero/${name}`);

describe("loadVeleroHooks on the fixtures", () => {
  it("loads a Backup's two hook rules: globs, both selector forms, pre and post, defaults left unset", () => {
    const loaded = loadVeleroHooks(fixture("backup-hooks.yaml"));
    expect(loaded.backup?.name).toBe("nightly-shop");
    expect(loaded.backup?.scope).toMatchObject({
      includedNamespaces: ["shop", "team-*"],
      excludedNamespaces: ["team-scratch"],
    });
    expect(loaded.backup?.resources).toEqual([
      {
        name: "lock-inventory",
        includedNamespaces: ["*"],
        excludedNamespaces: ["team-scratch"],
        includedResources: ["pods"],
        excludedResources: [],
        labelSelector: {
          matchLabels: { "app.kubernetes.io/name": "inventory", "app.kubernetes.io/component": "database" },
        },
        pre: [
          {
            container: "db",
            command: ["/usr/local/bin/inventory-admin", "lock", "--flush"],
            onError: "Fail",
            timeout: "45s",
          },
        ],
        post: [{ container: "db", command: ["/usr/local/bin/inventory-admin", "unlock"], timeout: "15s" }],
      },
      {
        name: "sync-cache",
        includedNamespaces: ["team-?"],
        excludedNamespaces: [],
        includedResources: [],
        excludedResources: [],
        labelSelector: { matchExpressions: [{ key: "tier", operator: "In", values: ["cache"] }] },
        pre: [{ command: ["/bin/sh", "-c", "cachectl sync && cachectl status"], onError: "Continue" }],
        post: [],
      },
    ]);
    expect(loaded.warnings).toEqual([]);
  });

  it("loads a Restore's post hooks with their wait and exec timeouts", () => {
    const loaded = loadVeleroHooks(fixture("restore-hooks.yaml"));
    expect(loaded.restore?.name).toBe("nightly-shop-restore");
    const rule = loaded.restore?.resources[0];
    expect(rule?.includedNamespaces).toEqual(["shop"]);
    expect(rule?.postHooks).toEqual([
      {
        exec: {
          container: "db",
          command: ["/bin/sh", "-c", "until inventory-admin ping; do sleep 1; done"],
          waitTimeout: "3m",
          execTimeout: "90s",
          onError: "Fail",
        },
      },
      {
        exec: {
          container: "db",
          command: ["/usr/local/bin/inventory-admin", "load", "/restore/inventory.dump"],
          waitTimeout: "3m",
          execTimeout: "10m",
        },
      },
      { exec: { container: "agent", command: ["/bin/sh", "-c", "touch /run/restored"] } },
    ]);
    expect(loaded.warnings).toEqual([]);
  });

  it("finds the backup and restore annotation hooks of pod templates among documents without hooks", () => {
    const loaded = loadVeleroHooks(fixture("annotated-app.yaml"));
    expect(loaded.backup).toBeUndefined();
    expect(loaded.restore).toBeUndefined();
    expect(loaded.annotated).toEqual([
      {
        document: 3,
        kind: "Deployment",
        name: "storefront-web",
        namespace: "storefront",
        path: "spec.template.metadata.annotations",
        hooks: {
          pre: {
            container: "uploads-guard",
            command: ["/bin/uploads-guard", "pause", "--dir", "/srv/uploads"],
            onError: "Fail",
            timeout: "20s",
          },
          post: {
            container: "uploads-guard",
            command: ["/bin/uploads-guard", "resume", "--dir", "/srv/uploads"],
          },
        },
      },
      {
        document: 4,
        kind: "StatefulSet",
        name: "storefront-sessions",
        namespace: "storefront",
        path: "spec.template.metadata.annotations",
        hooks: {
          restore: {
            container: "sessions",
            command: ["/bin/sessions-admin", "expire-all"],
            execTimeout: "30s",
            waitTimeout: "2m",
            onError: "Continue",
            // The annotation form always sets waitForReady (Velero's default: false).
            waitForReady: false,
          },
        },
      },
    ]);
    expect(loaded.warnings).toEqual([]);
  });
});

describe("loadVeleroHooks on the corpus", () => {
  it("loads the Backup's hook rule, with a null post list and the Backup's own selection", corpus, () => {
    const loaded = loadVeleroHooks(read("api-types__backup.md__backup-spec-block.yaml"));
    expect(loaded.backup?.name).toBe("a");
    expect(loaded.backup?.resources).toEqual([
      {
        name: "my-hook",
        includedNamespaces: ["*"],
        excludedNamespaces: ["some-namespace"],
        includedResources: ["pods"],
        excludedResources: [],
        labelSelector: { matchLabels: { app: "velero", component: "server" } },
        pre: [{ container: "my-container", command: ["/bin/uname", "-a"], onError: "Fail", timeout: "10s" }],
        post: [],
      },
    ]);
    expect(loaded.backup?.scope.excludedNamespaces).toEqual(["some-namespace"]);
    expect(loaded.warnings.map((w) => w.path)).toEqual(["spec.orLabelSelectors"]);
  });

  it(
    "loads the Restore's three post hooks and reports the '...' line under excludedResources",
    corpus,
    () => {
      const loaded = loadVeleroHooks(read("restore-hooks.md__multiple-exec-restore-hooks-block.yaml"));
      const rule = loaded.restore?.resources[0];
      expect(rule?.includedNamespaces).toEqual(["app"]);
      expect(
        rule?.postHooks.map((h) => ("exec" in h ? [h.exec.container, h.exec.waitTimeout] : "init")),
      ).toEqual([
        ["postgres", "5m"],
        ["postgres", "6m"],
        ["sidecar", undefined],
      ]);
      // The "..." line runs into the next key: YAML reads "... includedNamespaces" (and complains).
      expect(loaded.warnings).toEqual([
        expect.objectContaining({
          document: 1,
          path: "",
          kind: "quirk",
          message: expect.stringMatching(/^YAML line 9: Implicit keys need to be on a single line/),
        }),
        expect.objectContaining({
          document: 1,
          path: 'spec["... includedNamespaces"]',
          kind: "quirk",
          message: expect.stringContaining("so spec.includedNamespaces is lost"),
        }),
      ]);
    },
  );

  it("reports a '...' value at its path", () => {
    const loaded = loadVeleroHooks({
      apiVersion: "velero.io/v1",
      kind: "Restore",
      spec: { excludedResources: "...", hooks: { resources: [] } },
    });
    expect(loaded.warnings).toEqual([
      expect.objectContaining({
        path: "spec.excludedResources",
        message: expect.stringContaining("Velero expects a list"),
      }),
    ]);
  });

  it("finds the nginx Deployment's pod-template annotation hooks among the other documents", corpus, () => {
    const loaded = loadVeleroHooks(read("velero__examples__nginx-app__with-pv.yaml"));
    expect(loaded.backup).toBeUndefined();
    expect(loaded.annotated).toEqual([
      {
        document: 3,
        kind: "Deployment",
        name: "nginx-deployment",
        namespace: "nginx-example",
        path: "spec.template.metadata.annotations",
        hooks: {
          pre: { container: "fsfreeze", command: ["/sbin/fsfreeze", "--freeze", "/var/log/nginx"] },
          post: { container: "fsfreeze", command: ["/sbin/fsfreeze", "--unfreeze", "/var/log/nginx"] },
        },
      },
    ]);
    expect(loaded.warnings).toEqual([]);
  });
});

describe("loadVeleroHooks: bad input names the path", () => {
  const backup = (hook: unknown) => ({
    apiVersion: "velero.io/v1",
    kind: "Backup",
    metadata: { name: "b" },
    spec: { ttl: "24h", anything: { kept: true }, hooks: { resources: [{ name: "r", pre: [hook] }] } },
  });

  it("rejects a unit-less timeout, an unknown onError and an empty command, each at its path", () => {
    const err = thrown(() =>
      loadVeleroHooks(backup({ exec: { command: [], onError: "Retry", timeout: "30" } })),
    );
    expect(err.code).toBe(ErrorCodes.VALIDATION);
    const issues = (err.details.issues as Array<{ path: string; message: string }>).map((i) => i.path);
    expect(issues.sort()).toEqual([
      "spec.hooks.resources[0].pre[0].exec.command",
      "spec.hooks.resources[0].pre[0].exec.onError",
      "spec.hooks.resources[0].pre[0].exec.timeout",
    ]);
    expect(err.message).toContain('invalid duration "30": missing unit');
    expect(err.details.document).toBe(1);
  });

  it("takes a negative timeout, as Velero's CRD (type: string) and metav1.Duration do", () => {
    expect(
      loadVeleroHooks(backup({ exec: { command: ["x"], timeout: "-1s" } })).backup?.resources[0]?.pre,
    ).toEqual([{ command: ["x"], timeout: "-1s" }]);
  });

  it("rejects unknown fields in the hook part but passes the rest of the spec through", () => {
    const err = thrown(() => loadVeleroHooks(backup({ exec: { command: ["x"] }, httpGet: {} })));
    expect(err.message).toContain("spec.hooks.resources[0].pre[0]");
    expect(err.message).toContain("httpGet");
    expect(loadVeleroHooks(backup({ exec: { command: ["x"] } })).backup?.resources[0]?.pre).toEqual([
      { command: ["x"] },
    ]);
  });

  it("validates restore init hooks as Velero's ValidateContainer does and points to addVeleroInitContainers", () => {
    const loaded = loadVeleroHooks({
      apiVersion: "velero.io/v1",
      kind: "Restore",
      metadata: { name: "r" },
      spec: {
        hooks: {
          resources: [
            {
              name: "init",
              postHooks: [
                {
                  init: {
                    initContainers: [{ name: "restore", image: "alpine", command: ["sh"] }],
                    timeout: "2m",
                  },
                },
              ],
            },
          ],
        },
      },
    });
    expect(loaded.warnings).toEqual([
      expect.objectContaining({ path: "spec.hooks.resources[0].postHooks[0].init", kind: "unsupported" }),
    ]);
    // The CRD requires neither exec nor init and Velero applies each one a hook has
    // (InitContainerRestoreHookHandler reads Init, GroupRestoreExecHooks Exec); an empty
    // initContainers list passes the Restore controller's ValidateContainer loop.
    const both = loadVeleroHooks({
      apiVersion: "velero.io/v1",
      kind: "Restore",
      spec: {
        hooks: {
          resources: [
            { name: "i", postHooks: [{ init: { initContainers: [] }, exec: { command: ["x"] } }, {}] },
          ],
        },
      },
    });
    expect(both.restore?.resources[0]?.postHooks).toEqual([
      { init: { initContainers: [] }, exec: { command: ["x"] } },
      {},
    ]);
    expect(both.warnings.map((w) => w.path)).toEqual([
      "spec.hooks.resources[0].postHooks[0].init",
      "spec.hooks.resources[0].postHooks[1]",
    ]);
    const noCommand = thrown(() =>
      loadVeleroHooks({
        apiVersion: "velero.io/v1",
        kind: "Restore",
        spec: {
          hooks: {
            resources: [
              { name: "i", postHooks: [{ init: { initContainers: [{ name: "c", image: "alpine" }] } }] },
            ],
          },
        },
      }),
    );
    expect(noCommand.message).toContain(
      "spec.hooks.resources[0].postHooks[0].init.initContainers[0].command",
    );
  });

  it("never rejects an annotation: what Velero cannot read is a warning naming it, and its default applies", () => {
    const loaded = loadVeleroHooks({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: "p",
        annotations: {
          "pre.hook.backup.velero.io/command": '["fsfreeze", 1]',
          "pre.hook.backup.velero.io/on-error": "Stop",
          "post.hook.restore.velero.io/command": "true",
          "post.hook.restore.velero.io/wait-timeout": "5",
          "post.hook.restore.velero.io/wait-for-ready": "yes",
        },
      },
    });
    expect(loaded.warnings.map((w) => w.path)).toEqual([
      'metadata.annotations["pre.hook.backup.velero.io/on-error"]',
      'metadata.annotations["post.hook.restore.velero.io/wait-timeout"]',
      'metadata.annotations["post.hook.restore.velero.io/wait-for-ready"]',
    ]);
    expect(loaded.annotated[0]?.hooks).toEqual({
      // Not a JSON array of strings: Velero runs the whole value as one argv element.
      pre: { command: ['["fsfreeze", 1]'] },
      restore: { command: ["true"], waitForReady: false },
    });
  });
});

describe("Velero annotation and selection rules", () => {
  it("takes a JSON array or one plain command", () => {
    expect(parseVeleroCommand('["/bin/sh", "-c", "sync"]')).toEqual(["/bin/sh", "-c", "sync"]);
    expect(parseVeleroCommand("/usr/bin/sync")).toEqual(["/usr/bin/sync"]);
    // parseStringToCommand: a '[' value that is not a JSON array of strings is one element; no trimming.
    expect(parseVeleroCommand("[not json")).toEqual(["[not json"]);
    expect(parseVeleroCommand(' ["a"]')).toEqual([' ["a"]']);
    expect(parseVeleroCommand("[]")).toEqual([]);
  });

  it("reads the legacy phase-less annotations as a pre hook only, and the restore init annotations", () => {
    const legacy = parseVeleroAnnotations({
      "hook.backup.velero.io/container": "db",
      "hook.backup.velero.io/command": "sync",
      "hook.backup.velero.io/timeout": "1m",
    });
    expect(legacy.hooks).toEqual({ pre: { container: "db", command: ["sync"], timeout: "1m" } });
    const both = parseVeleroAnnotations({
      "pre.hook.backup.velero.io/command": "freeze",
      "hook.backup.velero.io/command": "legacy",
    });
    expect(both.hooks.pre?.command).toEqual(["freeze"]);
    const init = parseVeleroAnnotations({
      "init.hook.restore.velero.io/container-image": "alpine",
      "init.hook.restore.velero.io/command": '["/bin/ash", "-c", "date"]',
    });
    expect(init.hooks.init).toEqual({ containerImage: "alpine", command: ["/bin/ash", "-c", "date"] });
    const noImage = parseVeleroAnnotations({ "init.hook.restore.velero.io/command": "date" });
    expect(noImage.hooks.init).toBeUndefined();
    expect(noImage.warnings[0]?.message).toContain("container-image is missing");
    // An empty command declares no hook.
    expect(parseVeleroAnnotations({ "pre.hook.backup.velero.io/command": "" }).hooks.pre).toBeUndefined();
  });

  it("reads restore annotations with their defaults left to resolution, and warns about a hook without a command", () => {
    const { hooks, warnings } = parseVeleroAnnotations({
      "post.hook.restore.velero.io/container": "db",
      "post.hook.restore.velero.io/command": '["psql", "-f", "/r.sql"]',
      "post.hook.restore.velero.io/on-error": "Continue",
      "post.hook.restore.velero.io/wait-for-ready": "true",
      "pre.hook.backup.velero.io/container": "db",
    });
    expect(hooks.restore).toEqual({
      container: "db",
      command: ["psql", "-f", "/r.sql"],
      onError: "Continue",
      waitForReady: true,
    });
    // strconv.ParseBool spellings.
    expect(
      parseVeleroAnnotations({
        "post.hook.restore.velero.io/command": "x",
        "post.hook.restore.velero.io/wait-for-ready": "T",
      }).hooks.restore?.waitForReady,
    ).toBe(true);
    expect(hooks.pre).toBeUndefined();
    expect(warnings[0]?.message).toContain("pre.hook.backup.velero.io/command is missing or empty");
  });

  it("matches namespace globs with exclusions winning, and hooks only for pods", () => {
    expect(matchesGlob("prod-[ab]?", "prod-a1")).toBe(true);
    expect(matchesGlob("prod-[!ab]*", "prod-a1")).toBe(false);
    expect(matchesGlob("a.b", "axb")).toBe(false);
    expect(includedBy("some-namespace", ["*"], ["some-*"])).toBe(false);
    expect(includedBy("app", [], [])).toBe(true);
    expect(includedBy("app", ["db", "ap?"], [])).toBe(true);
    expect(podsIncluded(["pods"], [])).toBe(true);
    expect(podsIncluded(["deployments"], [])).toBe(false);
    expect(podsIncluded([], ["po"])).toBe(false);
    // gobwas/glob as Velero compiles it: alternatives, globs over resource names, bad patterns match nothing.
    expect(matchesGlob("{prod,staging}-*", "staging-eu")).toBe(true);
    expect(matchesGlob("prod-[", "prod-[")).toBe(false);
    expect(podsIncluded(["p*"], [])).toBe(true);
    expect(podsIncluded(["Pods"], [])).toBe(true);
    expect(podsIncluded(["*"], ["*"])).toBe(true);
  });

  // pkg/util/collections/includes_excludes.go globStringSet.match walks the set in sorted order
  // and gives up (no match) at the first pattern that does not compile.
  it("gives up at the first pattern, in sorted order, that does not compile, as Velero's sets do", () => {
    expect(globSetMatches(["prod", "[bad"], "prod")).toBe(false); // "[bad" sorts first
    expect(globSetMatches(["zz[", "prod"], "prod")).toBe(true); // "prod" sorts before "zz["
    expect(includedBy("prod", ["prod", "[bad"], [])).toBe(false);
    expect(includedBy("prod", ["*", "[bad"], [])).toBe(true); // `*` is checked before the patterns
    expect(includedBy("prod", [], ["[bad", "prod"])).toBe(true); // the exclusion never gets to "prod"
    expect(includedBy("prod", [], ["prod", "zz["])).toBe(false);
    expect(podsIncluded(["[x", "pods"], [])).toBe(false);
    expect(podsIncluded([], ["[x", "po"])).toBe(true);
  });

  it("renders label selectors for selectPods", () => {
    expect(
      selectorString({
        matchLabels: { app: "velero" },
        matchExpressions: [
          { key: "tier", operator: "In", values: ["a", "b"] },
          { key: "legacy", operator: "DoesNotExist" },
        ],
      }),
    ).toBe("app=velero,tier in (a,b),!legacy");
    expect(selectorString({})).toBeUndefined();
  });
});
