import type { Cluster } from "@quiesce/kube";
import { describe, expect, it } from "vitest";
import type { PrepareEnv } from "../prepare-settings.js";
import { prepareVeleroHook } from "./prepare-velero.js";
import type { VeleroExecHook } from "./velero-hook-spec.js";

// Only preparation is under test here: no exec runs, so the cluster is never called.
const env = { cluster: {} as Cluster, defaultTimeoutMs: 60_000 } as PrepareEnv;

const hook = (timeout: string): VeleroExecHook => ({
  operation: "backup",
  phase: "pre",
  namespace: "shop",
  pod: "db-0",
  container: "db",
  command: ["sync"],
  timeout,
  source: "spec",
  rule: "freeze",
  index: 0,
});

// pkg/podexec/pod_command_executor.go: `if localHook.Timeout.Duration == 0 { … = defaultTimeout }`
// (30s) and a timer only `if localHook.Timeout.Duration > 0`.
describe("a Velero hook's time limit", () => {
  it.each([
    ["0s", 30_000 + 5_000],
    ["0", 30_000 + 5_000],
    ["1m", 60_000 + 5_000],
  ])("timeout %s bounds the attempt (the exec's limit plus the grace of its own report)", (timeout, ms) => {
    expect(
      prepareVeleroHook({ name: "h", velero: hook(timeout) }, "pre", "hooks.pre[0]", env).timeoutMs,
    ).toBe(ms);
  });

  it("a negative timeout sets none, whatever the host's defaultHookTimeout", () => {
    expect(
      prepareVeleroHook({ name: "h", velero: hook("-1s") }, "pre", "hooks.pre[0]", env).timeoutMs,
    ).toBeUndefined();
  });
});
