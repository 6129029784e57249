import { registerSecret } from "@quiesce/core";
import { describe, expect, it } from "vitest";
import { runWithHooks } from "./lifecycle.js";

describe("output tails in the session result", () => {
  it("are redacted before they are cut, so a secret straddling the cut leaks no fragment", async () => {
    const undo = registerSecret("sup3r-s3cret-token");
    try {
      // The 64-byte tail starts in the middle of the secret.
      const stdout = `token: sup3r-s3cret-token${"-".repeat(64 - 8)}`;
      const result = await runWithHooks(
        {
          subject: { kind: "Namespace", name: "ns", namespace: "ns" },
          outputTailBytes: 64,
          hooks: {
            pre: [
              {
                name: "print",
                run: async () => ({
                  targets: [{ name: "host", status: "succeeded", stdout, stderr: stdout }],
                }),
              },
            ],
          },
        },
        async () => ({}),
      );
      const target = result.hooks[0]?.targets[0];
      expect(target?.stdout).toHaveLength(64);
      expect(target?.stdout).not.toContain("-token");
      expect(target?.stdout).toBe(`EDACTED]${"-".repeat(56)}`);
      expect(result.hooks[0]?.attempts[0]?.stderr).toBe(target?.stdout);
    } finally {
      undo();
    }
  });
});
