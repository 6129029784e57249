import { describe, expect, it } from "vitest";
import { decodeKubernetesProtobuf, protobufKinds } from "./decode.js";
import { KUBECTL_133_BODIES as BODIES } from "./test-support/kubectl-bodies.js";

const decode = (b64: string) => decodeKubernetesProtobuf(Buffer.from(b64, "base64"));

/** A hand-built protobuf message: fields as [number, wire type, payload]. */
function message(...fields: Array<[number, number, Buffer | bigint]>): Buffer {
  const parts: Buffer[] = [];
  const varint = (v: bigint) => {
    const out: number[] = [];
    let n = BigInt.asUintN(64, v);
    do {
      const byte = Number(n & 0x7fn);
      n >>= 7n;
      out.push(n > 0n ? byte | 0x80 : byte);
    } while (n > 0n);
    return Buffer.from(out);
  };
  for (const [num, wire, payload] of fields) {
    parts.push(varint(BigInt((num << 3) | wire)));
    if (typeof payload === "bigint") parts.push(varint(payload));
    else parts.push(varint(BigInt(payload.length)), payload);
  }
  return Buffer.concat(parts);
}
const str = (s: string) => Buffer.from(s, "utf8");
const envelope = (apiVersion: string, kind: string, raw: Buffer) =>
  Buffer.concat([
    Buffer.from("k8s\0", "latin1"),
    message([1, 2, message([1, 2, str(apiVersion)], [2, 2, str(kind)])], [2, 2, raw]),
  ]);

describe("Kubernetes protobuf bodies", () => {
  it("decodes what kubectl 1.33 sends for create configmap and create secret", () => {
    expect(decode(BODIES.configMap)).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings" },
      data: { mode: "fast", empty: "" },
    });
    expect(decode(BODIES.secret)).toEqual({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "creds" },
      data: { password: Buffer.from("s3cret").toString("base64") },
    });
  });

  it("decodes create job and create deployment as kubectl's JSON would have been, zero values left out", () => {
    expect(decode(BODIES.job)).toEqual({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "report" },
      spec: {
        template: {
          metadata: {},
          spec: {
            containers: [
              { name: "report", image: "busybox", command: ["sh", "-c", "echo hi"], resources: {} },
            ],
            restartPolicy: "Never",
          },
        },
      },
      status: {},
    });
    const deployment = decode(BODIES.deployment) as {
      spec: { replicas: number; selector: unknown; template: { spec: { containers: unknown[] } } };
    };
    // replicas is a pointer in Go: an explicit 0 survives, unlike zero values of plain fields.
    expect(deployment.spec.replicas).toBe(0);
    expect(deployment.spec.selector).toEqual({ matchLabels: { app: "api" } });
    expect(deployment.spec.template.spec.containers).toEqual([
      { name: "nginx", image: "nginx:1", ports: [{ containerPort: 8080 }], resources: {} },
    ]);
  });

  it("decodes the reviews of kubectl auth can-i and auth whoami", () => {
    expect(decode(BODIES.accessReviewNamespaced)).toEqual({
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectAccessReview",
      metadata: {},
      spec: {
        resourceAttributes: {
          namespace: "kube-system",
          verb: "delete",
          group: "apps",
          resource: "deployments",
        },
      },
      status: { allowed: false },
    });
    expect(decode(BODIES.rulesReview)).toMatchObject({
      kind: "SelfSubjectRulesReview",
      spec: { namespace: "default" },
    });
    expect(decode(BODIES.selfReview)).toMatchObject({ kind: "SelfSubjectReview" });
  });

  it("reads times, quantities, int-or-string, negative numbers and maps of quantities", () => {
    const time = message([1, 0, 1_700_000_000n], [2, 0, 0n]);
    const quantity = (q: string) => message([1, 2, str(q)]);
    const meta = message([1, 2, str("db")], [8, 2, time]);
    const requests = message([1, 2, str("cpu")], [2, 2, quantity("250m")]);
    const resources = message([2, 2, requests]);
    const port = message([1, 2, str("http")], [3, 0, 8080n]);
    // Probe embeds ProbeHandler inline: httpGet is the probe's own field in JSON.
    const probe = message([1, 2, message([2, 2, message([2, 2, message([1, 0, 1n], [3, 2, str("http")])])])]);
    const container = message(
      [1, 2, str("db")],
      [2, 2, str("postgres")],
      [6, 2, port],
      [8, 2, resources],
      [10, 2, probe],
    );
    // PodSpec.activeDeadlineSeconds = -1: a negative int64 is ten varint bytes.
    const spec = message([2, 2, container], [5, 0, -1n]);
    const pod = decodeKubernetesProtobuf(envelope("v1", "Pod", message([1, 2, meta], [2, 2, spec])));
    expect(pod).toEqual({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "db", creationTimestamp: "2023-11-14T22:13:20Z" },
      spec: {
        containers: [
          {
            name: "db",
            image: "postgres",
            ports: [{ name: "http", containerPort: 8080 }],
            resources: { requests: { cpu: "250m" } },
            livenessProbe: { httpGet: { port: "http" } },
          },
        ],
        activeDeadlineSeconds: -1,
      },
    });
  });

  it("answers 415 for kinds it has no description of, and 400 for damaged bodies", () => {
    expect(protobufKinds()).toEqual(
      expect.arrayContaining(["ConfigMap", "Secret", "Job", "Deployment", "Pod"]),
    );
    expect(() => decodeKubernetesProtobuf(envelope("example.com/v1", "Backup", Buffer.alloc(0)))).toThrow(
      expect.objectContaining({ statusCode: 415, message: expect.stringContaining("send it as JSON") }),
    );
    expect(() => decodeKubernetesProtobuf(Buffer.from("{}"))).toThrow(
      expect.objectContaining({ statusCode: 400 }),
    );
    const truncated = Buffer.from(BODIES.job, "base64").subarray(0, 40);
    expect(() => decodeKubernetesProtobuf(truncated)).toThrow(/truncated/);
  });
});
