import type { Cluster } from "@quiesce/kube";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { looseString } from "../args.js";
import { defineFunction } from "../define-function.js";
import { createRegistry } from "../registry.js";
import { emptyTemplateParams } from "../template-params.js";
import { BlueprintEvents } from "./events.js";
import { runBlueprintAction } from "./run-action.js";

// A function that never touches Kubernetes: the runner's own redaction of what a plugin reports.
const noCluster = new Proxy({} as Cluster, {
  get: (_t, prop) => () => {
    throw new Error(`cluster.${String(prop)} is not used in this test`);
  },
});
const SECRET = "s3cr3t/key+with 'quotes'";

describe("what a plugin function reports about a Profile's credentials", () => {
  it("reaches neither progress events nor log lines, raw or escaped", async () => {
    const registry = createRegistry();
    registry.register(
      defineFunction({
        name: "Upload",
        args: z.object({ key: looseString() }),
        async exec(ctx, args) {
          ctx.progress(`uploading with ${args.key}`);
          ctx.logger.info(`signing ${JSON.stringify({ key: args.key })}`, {
            url: `https://store/?key=${encodeURIComponent(args.key)}`,
          });
          return { done: "yes" };
        },
      }),
    );
    const events = new BlueprintEvents();
    const progress: string[] = [];
    events.on("phase:progress", (e) => progress.push(e.message ?? ""));
    const lines: string[] = [];
    const record = (message: string, fields?: Record<string, unknown>) =>
      lines.push(`${message} ${JSON.stringify(fields ?? {})}`);
    const logger = { debug: record, info: record, warn: record, error: record };
    const params = {
      ...emptyTemplateParams(),
      Profile: { Credential: { Type: "keyPair", KeyPair: { ID: "id", Secret: SECRET } } },
    };
    const result = await runBlueprintAction(
      {
        apiVersion: "cr.kanister.io/v1alpha1",
        kind: "Blueprint",
        metadata: { name: "t" },
        actions: {
          backup: {
            phases: [
              { func: "Upload", name: "up", args: { key: "{{ .Profile.Credential.KeyPair.Secret }}" } },
            ],
          },
        },
      },
      "backup",
      { cluster: noCluster, registry, params, events, logger },
    );
    expect(result.status).toBe("succeeded");
    expect(progress).toEqual(["uploading with [REDACTED]"]);
    expect(lines).toEqual([`signing {"key":"[REDACTED]"} {"url":"https://store/?key=[REDACTED]"}`]);
  });
});
