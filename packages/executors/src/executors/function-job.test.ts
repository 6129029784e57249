import { describe, expect, it } from "vitest";
import { buildFunctionJob } from "./function-job.js";

describe("buildFunctionJob", () => {
  it("sets variables given as EnvVars in the Job's env as they are, so a Secret's value stays out of its spec", () => {
    const job = buildFunctionJob({
      namespace: "prod",
      spec: { name: "notify" },
      definition: { image: "notifier:1", args: ["--room=${ROOM}"] },
      action: {},
      params: {},
      variables: { ROOM: "#ops", TOKEN: "xoxb-s3cret-token" },
      variableEnv: [
        { name: "ROOM", value: "#ops" },
        { name: "TOKEN", valueFrom: { secretKeyRef: { name: "slack", key: "token" } } },
      ],
    });
    const container = (job.template.spec?.containers ?? [])[0];
    expect(container?.args).toEqual(["--room=#ops"]);
    expect(container?.env).toEqual([
      { name: "ROOM", value: "#ops" },
      { name: "TOKEN", valueFrom: { secretKeyRef: { name: "slack", key: "token" } } },
    ]);
    expect(JSON.stringify(job)).not.toContain("xoxb-s3cret-token");
  });
});

// kmodules.xyz/offshoot-api util/runtime_settings.go, as kubestash/apimachinery vendors it.
describe("runtime settings of a Function Job", () => {
  const build = (runtimeSettings: unknown, definition: Record<string, unknown> = {}) =>
    buildFunctionJob({
      namespace: "prod",
      spec: { name: "notify", runtimeSettings: runtimeSettings as never },
      definition: { image: "notifier:1", ...definition },
      action: {},
      params: {},
      variables: {},
    });

  it("applies container settings as ApplyContainerRuntimeSettings does: env upserted, nice/ionice as env, requests only with limits", () => {
    const job = build(
      {
        container: {
          env: [
            { name: "LEVEL", value: "debug" },
            { name: "POD", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
          ],
          nice: { adjustment: 5 },
          ionice: { class: 2, classData: 7 },
          resources: { requests: { cpu: "100m" } },
          securityContext: { runAsNonRoot: true },
        },
      },
      {
        runtimeSettings: {
          env: [{ name: "LEVEL", value: "info" }],
          resources: { limits: { cpu: "1" }, requests: { cpu: "500m" } },
        },
      },
    );
    const c = (job.template.spec?.containers ?? [])[0];
    expect(c?.env).toEqual([
      { name: "LEVEL", value: "debug" },
      { name: "POD", valueFrom: { fieldRef: { fieldPath: "metadata.name", apiVersion: "v1" } } },
      { name: "NICE_ADJUSTMENT", value: "5" },
      { name: "IONICE_CLASS", value: "2" },
      { name: "IONICE_CLASS_DATA", value: "7" },
    ]);
    // The Function's limits and requests stay: the reference sets requests without limits.
    expect(c?.resources).toEqual({ limits: { cpu: "1" }, requests: { cpu: "500m" } });
    expect(c?.securityContext).toEqual({ runAsNonRoot: true });
  });

  it("applies pod settings as ApplyPodRuntimeSettings does; podLabels and podAnnotations on the pod", () => {
    const job = build({
      pod: {
        podLabels: { team: "db", "app.kubernetes.io/managed-by": "someone-else" },
        podAnnotations: { "example.com/owner": "dba" },
        nodeSelector: { disk: "ssd" },
        serviceAccountName: "hooks",
        imagePullSecrets: [{ name: "zeta" }, { name: "alpha" }],
        tolerations: [],
        priority: 10,
      },
    });
    expect(job.template.metadata?.labels).toMatchObject({
      team: "db",
      "app.kubernetes.io/managed-by": "quiesce",
    });
    expect(job.template.metadata?.annotations).toEqual({ "example.com/owner": "dba" });
    const spec = job.template.spec;
    expect(spec?.nodeSelector).toEqual({ disk: "ssd" });
    expect(spec?.serviceAccountName).toBe("hooks");
    expect(spec?.imagePullSecrets).toEqual([{ name: "alpha" }, { name: "zeta" }]);
    expect(spec?.tolerations).toBeUndefined();
    expect(spec?.priority).toBe(10);
    expect(spec?.restartPolicy).toBe("Never");
  });

  it("names a field the settings do not have instead of dropping it", () => {
    expect(() => build({ container: { cpuShares: 2 } })).toThrow(
      /executor\.function\.runtimeSettings\.container: Unrecognized key: "cpuShares"/,
    );
  });
});
