import { noopLogger, sleep } from "@quiesce/core";
import { expect, it } from "vitest";
import type { StepRecord } from "../result.js";
import { runStep } from "./run-step.js";

it("waits for a cancelled step to wind down before the session moves on to its cleanup", async () => {
  const controller = new AbortController();
  const seen: string[] = [];
  const record: StepRecord = { status: "skipped", outputs: {} };
  const done = runStep(
    async ({ signal }) => {
      if (!signal.aborted)
        await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
      await sleep(100); // stopping its own work (a child process, an upload) takes a moment
      seen.push("step stopped");
    },
    record,
    {
      signal: controller.signal,
      operationId: "op",
      namespaces: ["shop"],
      subject: undefined,
      artifacts: {},
      logger: noopLogger,
      events: undefined,
    },
  );
  controller.abort(new Error("interrupted"));
  await done;
  seen.push("cleanup");
  expect(seen).toEqual(["step stopped", "cleanup"]);
  expect(record).toMatchObject({ status: "cancelled", error: { message: "interrupted" } });
});
