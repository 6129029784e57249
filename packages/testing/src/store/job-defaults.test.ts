import { describe, expect, it } from "vitest";
import { createObjectStore } from "./object-store.js";

describe("a new Job", () => {
  it("gets a selector of its own pods and the labels it selects, unless manualSelector", () => {
    const store = createObjectStore();
    const jobs = store.typeFor("batch", "v1", "jobs")!;
    const job = store.create(jobs, {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "report", namespace: "default" },
      spec: { template: { metadata: { labels: { app: "report" } }, spec: { containers: [] } } },
    });
    const uid = job.metadata.uid;
    expect(job.spec).toMatchObject({
      selector: { matchLabels: { "batch.kubernetes.io/controller-uid": uid } },
      template: {
        metadata: {
          labels: {
            app: "report",
            "job-name": "report",
            "batch.kubernetes.io/job-name": "report",
            "controller-uid": uid,
            "batch.kubernetes.io/controller-uid": uid,
          },
        },
      },
    });
    const manual = store.create(jobs, {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "manual", namespace: "default" },
      spec: {
        manualSelector: true,
        selector: { matchLabels: { a: "b" } },
        template: { metadata: { labels: { a: "b" } } },
      },
    });
    expect(manual.spec).toEqual({
      manualSelector: true,
      selector: { matchLabels: { a: "b" } },
      template: { metadata: { labels: { a: "b" } } },
    });
  });
});
