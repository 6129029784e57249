import { describe, expect, it } from "vitest";
import { compileAction } from "./compiled-action.js";

describe("compiled KubeStash actions", () => {
  it("render their fields within one budget of the run's template limits, and stop on its signal", () => {
    const loop = "{{ range 600 }}{{ end }}{{ .Namespace }}";
    const action = compileAction({ exec: { command: ["echo", loop, loop] } }, "freeze");
    expect(action.render({ Namespace: "prod" })).toEqual({ exec: { command: ["echo", "prod", "prod"] } });
    // 1,200 steps in all: over a budget of 1,000 though each field alone is under it.
    expect(() => action.render({ Namespace: "prod" }, { limits: { maxSteps: 1000 } })).toThrow(
      expect.objectContaining({
        code: "QUIESCE_TEMPLATE_LIMIT",
        message: expect.stringMatching(/limits\.maxSteps/),
      }),
    );
    expect(() => action.render({ Namespace: "prod" }, { signal: AbortSignal.abort() })).toThrow(
      expect.objectContaining({ code: "QUIESCE_ABORTED" }),
    );
  });
});
