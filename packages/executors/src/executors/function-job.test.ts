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
