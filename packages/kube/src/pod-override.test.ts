import { describe, expect, it } from "vitest";
import { buildJob, buildPod, jobOutcome } from "./run.js";

describe("one-off workloads", () => {
  it("puts labels and annotations on the pod, with quiesce's managed-by label", () => {
    const pod = buildPod(
      {
        namespace: "ns",
        image: "alpine",
        command: ["true"],
        labels: { team: "db" },
        annotations: { "example.com/owner": "backup" },
      },
      "quiesce-task-abcde",
    );
    expect(pod.metadata?.labels).toMatchObject({ team: "db" });
    expect(Object.keys(pod.metadata?.labels ?? {}).length).toBeGreaterThan(1);
    expect(pod.metadata?.annotations).toEqual({ "example.com/owner": "backup" });
    const bare = buildPod({ namespace: "ns", image: "alpine", command: ["true"] }, "quiesce-task-b");
    expect(bare.metadata?.annotations).toBeUndefined();
  });

  it("builds a pod from a spec with volumes, env and override", () => {
    const pod = buildPod(
      {
        namespace: "ns",
        image: "alpine",
        command: ["sh", "-c", "echo hi"],
        env: { A: "1" },
        volumes: [{ claimName: "data", mountPath: "/data" }],
        podOverride: { containers: [{ name: "container", imagePullPolicy: "Never" }] },
      },
      "quiesce-task-abcde",
    );
    expect(pod.metadata).toMatchObject({ name: "quiesce-task-abcde", namespace: "ns" });
    expect(pod.spec).toMatchObject({
      restartPolicy: "Never",
      containers: [
        {
          name: "container",
          image: "alpine",
          imagePullPolicy: "Never",
          env: [{ name: "A", value: "1" }],
          volumeMounts: [{ name: "vol-0", mountPath: "/data" }],
        },
      ],
      volumes: [{ name: "vol-0", persistentVolumeClaim: { claimName: "data" } }],
    });
  });

  it("builds Kanister's default container (IfNotPresent) and keeps the main container first after the merge", () => {
    // Kanister pkg/kube/pod.go: ImagePullPolicy PullIfNotPresent; "Always put the main container the first".
    const pod = buildPod(
      {
        namespace: "ns",
        image: "alpine",
        command: ["true"],
        containerName: "worker",
        podOverride: {
          containers: [
            { name: "sidecar", image: "envoy" },
            { name: "worker", tty: true },
          ],
        },
      },
      "kanister-job-abcde",
    );
    const containers = (pod.spec as { containers: Record<string, unknown>[] }).containers;
    expect(containers.map((c) => c.name)).toEqual(["worker", "sidecar"]);
    expect(containers[0]).toMatchObject({ image: "alpine", imagePullPolicy: "IfNotPresent", tty: true });
  });

  it("builds a job with backoffLimit 0 by default", () => {
    const job = buildJob(
      {
        namespace: "ns",
        template: { spec: { containers: [{ name: "c", image: "x" }] } },
      },
      "quiesce-job-bbbbb",
    );
    expect(job.metadata).toMatchObject({ name: "quiesce-job-bbbbb", namespace: "ns" });
    expect(job.spec).toMatchObject({ backoffLimit: 0, template: { spec: { restartPolicy: "Never" } } });
  });

  it("reads job outcomes from conditions", () => {
    expect(jobOutcome({ status: { conditions: [{ type: "Complete", status: "True" }] } })).toBe("Complete");
    expect(jobOutcome({ status: { conditions: [{ type: "Failed", status: "True" }] } })).toBe("Failed");
    expect(jobOutcome({ status: { conditions: [{ type: "Failed", status: "False" }] } })).toBeUndefined();
    expect(jobOutcome({ status: {} })).toBeUndefined();
  });
});
