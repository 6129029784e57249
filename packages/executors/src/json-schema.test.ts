import { describe, expect, it } from "vitest";
import { z } from "zod";
import { actionSchema } from "./action-schema.js";
import { executorSchema } from "./executor-schema.js";

describe("JSON Schema of the documents", () => {
  it("can be generated from the zod schemas (for editors and CRD validation)", () => {
    const action = z.toJSONSchema(actionSchema) as {
      properties: Record<string, unknown>;
      additionalProperties: boolean;
    };
    expect(Object.keys(action.properties).sort()).toEqual([
      "containerName",
      "exec",
      "httpGet",
      "httpPost",
      "tcpSocket",
    ]);
    expect(action.additionalProperties).toBe(false);
    const executor = z.toJSONSchema(executorSchema) as { properties: Record<string, unknown> };
    expect(Object.keys(executor.properties).sort()).toEqual(["function", "pod", "type"]);
  });
});
