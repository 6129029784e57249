import { noopLogger } from "@quiesce/core";
import { describe, expect, it } from "vitest";
import { compileAction } from "./compiled-action.js";
import type { HookRunContext } from "./hook-spec.js";
import { hookSummary } from "./summary.js";

// KubeStash renders exec commands and httpPost bodies over its *v1alpha1.Summary
// (stashed/apimachinery pkg/hooks/hook.go renderTemplate: missingkey=default, TrimSpace).

const ctx = (extra: Partial<HookRunContext> = {}): HookRunContext => ({
  signal: new AbortController().signal,
  attempt: 1,
  operationId: "op",
  sessionName: "shop-backup-frequent-1700000000",
  phase: "post",
  namespace: "shop",
  subject: { kind: "Deployment", name: "web", namespace: "shop", apiVersion: "apps/v1" },
  artifactsIn: {},
  status: undefined,
  invoker: undefined,
  logger: noopLogger,
  ...extra,
});

const render = (command: string, c: HookRunContext) =>
  compileAction({ exec: { command: [command] } }, "test").render(hookSummary(c)).exec?.command[0];

describe("the KubeStash hook summary", () => {
  // hook.go renderHookTemplate renders the exec command, then the httpPost body: both when both are set.
  it("renders exec and httpPost of one action", () => {
    const action = compileAction(
      {
        exec: { command: ["echo", "{{ .Namespace }}"] },
        httpPost: { port: 80, body: "{{ .Status.Phase }}" },
      },
      "test",
    ).render(hookSummary(ctx({ phase: "pre" })));
    expect(action.exec?.command).toEqual(["echo", "shop"]);
    expect(action.httpPost?.body).toBe("Succeeded");
  });

  it("is a Go *Summary: zero values, struct printing, nil Invoker, JSON with Go's tags", () => {
    const pre = ctx({ phase: "pre" });
    expect(render("{{ .Status.Phase }}/{{ .Status.Duration }}/{{ .Status.Error }}", pre)).toBe("Succeeded//");
    // text/template dereferences a pointer before printing it.
    expect(render("{{ .Target }}", pre)).toBe("{apps Deployment shop web}");
    expect(render("{{ .Invoker }}", pre)).toBe("<nil>");
    expect(render('{{ printf "%T" . }}', pre)).toBe("*v1alpha1.Summary");
    expect(render("{{ toJson . }}", pre)).toBe(
      '{"name":"shop-backup-frequent-1700000000","namespace":"shop","target":{"apiGroup":"apps","kind":"Deployment","namespace":"shop","name":"web"},"status":{"phase":"Succeeded"}}',
    );
  });

  it("after the step: Failed with the first error and the duration in whole seconds; the invoker when the run names one", () => {
    const post = ctx({
      status: { phase: "Failed", durationMs: 65_400, error: "repository locked" },
      invoker: { kind: "BackupConfiguration", name: "shop-backup" },
    });
    expect(render("{{ .Status.Phase }} {{ .Status.Duration }} {{ .Status.Error }}", post)).toBe(
      "Failed 1m5s repository locked",
    );
    expect(
      render(
        "{{ .Invoker.APIGroup }}/{{ .Invoker.Kind }} {{ .Invoker.Namespace }}/{{ .Invoker.Name }}",
        post,
      ),
    ).toBe("core.kubestash.com/BackupConfiguration shop/shop-backup");
  });

  // backupsession_helpers.go GetSummary: Namespace and Invoker.Namespace are the BackupSession's
  // (its BackupConfiguration's namespace), Target is the target wherever it lives.
  it("names the invoker's namespace, not the target's, when the target lives elsewhere", () => {
    const c = ctx({
      namespace: "shop",
      invoker: { kind: "BackupConfiguration", name: "shop-backup", namespace: "backups" },
    });
    expect(render("{{ .Namespace }} {{ .Invoker.Namespace }} {{ .Target.Namespace }}", c)).toBe(
      "backups backups shop",
    );
  });

  it("trims the rendered text as Go's strings.TrimSpace does, and refuses a field Summary lacks", () => {
    expect(render("\n  {{ .Name }}\u0085 \t", ctx())).toBe("shop-backup-frequent-1700000000");
    expect(render("\ufeff{{ .Namespace }}", ctx())).toBe("\ufeffshop");
    expect(() => render("{{ .Params.db }}", ctx())).toThrow(/Params/);
  });
});
