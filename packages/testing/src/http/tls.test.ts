import { PassThrough } from "node:stream";
import { CoreV1Api, Exec, KubeConfig, type V1Status } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { kubeconfigFor } from "../api/kubeconfig.js";
import { startHarness } from "./test-support/harness.js";

let h: Awaited<ReturnType<typeof startHarness>>;
beforeEach(async () => {
  h = await startHarness({ tls: true });
});
afterEach(async () => {
  await h.close();
});

describe("TLS mode", () => {
  it("serves HTTPS with a certificate the kubeconfig trusts: requests, auth and exec", async () => {
    expect(h.server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(h.server.certificateAuthority).toContain("BEGIN CERTIFICATE");
    const core = h.kc.makeApiClient(CoreV1Api);
    const namespaces = await core.listNamespace();
    expect(namespaces.items.map((n) => n.metadata?.name)).toEqual(["default", "kube-system"]);

    const wrong = new KubeConfig();
    wrong.loadFromString(
      kubeconfigFor(h.server.url, "wrong", { certificateAuthority: h.server.certificateAuthority! }),
    );
    await expect(wrong.makeApiClient(CoreV1Api).listNamespace()).rejects.toMatchObject({ code: 401 });

    await core.createNamespacedPod({
      namespace: "default",
      body: { metadata: { name: "p" }, spec: { containers: [{ name: "app", image: "x" }] } },
    });
    h.store.mutate(h.store.typeFor("", "v1", "pods")!, "default", "p", (p) => {
      p.status = { phase: "Running" };
    });
    h.podIO.scripts.set("hello", (_req, streams) => {
      streams.stdout(Buffer.from("over tls\n"));
      return 0;
    });
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (c: Buffer) => chunks.push(c));
    const status = await new Promise<V1Status>((resolve, reject) => {
      new Exec(h.kc).exec("default", "p", "app", ["hello"], out, null, null, false, resolve).catch(reject);
    });
    expect(status.status).toBe("Success");
    expect(Buffer.concat(chunks).toString()).toBe("over tls\n");
  });
});
