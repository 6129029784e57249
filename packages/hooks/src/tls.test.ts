import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { selfSignedCertificate } from "@quiesce/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InlineHookSpec } from "./hook-spec.js";
import { runWithHooks } from "./lifecycle.js";

// KubeStash's prober never verifies certificates (kmodules.xyz/prober probe/http: InsecureSkipVerify:
// true); quiesce verifies them unless a hook or the run says insecureSkipTLSVerify.

const subject = { kind: "Deployment", namespace: "shop", name: "web" };
let port: number;
let close: () => Promise<void>;
beforeAll(async () => {
  const { cert, key } = selfSignedCertificate();
  const server = createServer({ cert, key }, (_req, res) => res.end("ok"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
  close = () => new Promise((r) => server.close(() => r()));
});
afterAll(() => close());

const notify = (extra: Partial<InlineHookSpec> = {}): InlineHookSpec => ({
  name: "notify",
  action: { httpGet: { scheme: "HTTPS", host: "127.0.0.1", port, path: "/" } },
  executor: { type: "Operator" },
  ...extra,
});

describe("HTTPS hooks", () => {
  it("verify the server's certificate by default: a self-signed endpoint fails", async () => {
    const result = await runWithHooks({ subject, hooks: { post: [notify()] } }, async () => {});
    expect(result.outcome).toBe("failed");
    expect(result.error?.message).toMatch(/certificate/i);
  });

  it("skip verification with insecureSkipTLSVerify on the hook or on the run", async () => {
    const hook = await runWithHooks(
      { subject, hooks: { post: [notify({ insecureSkipTLSVerify: true })] } },
      async () => {},
    );
    expect(hook.outcome).toBe("succeeded");
    const run = await runWithHooks(
      { subject, insecureSkipTLSVerify: true, hooks: { post: [notify()] } },
      async () => {},
    );
    expect(run.outcome).toBe("succeeded");
    expect(run.hooks[0]?.targets[0]).toMatchObject({ httpStatus: 200 });
  });

  it("reject a non-boolean insecureSkipTLSVerify before anything runs", async () => {
    const result = await runWithHooks(
      { subject, hooks: { post: [notify({ insecureSkipTLSVerify: "yes" as never })] } },
      async () => {},
    );
    expect(result.decidedBy).toBe("hook-resolution-failed");
    expect(result.error?.message).toContain("hooks.post[0].insecureSkipTLSVerify");
  });
});
