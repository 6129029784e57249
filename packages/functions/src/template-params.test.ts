import { redactText } from "@quiesce/core";
import { GoTime, render } from "@quiesce/template";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatRFC3339Nano } from "./go-time.js";
import { SecretScope } from "./secrets.js";
import { buildTemplateParams, emptyTemplateParams } from "./template-params.js";
import { startEnv, type TestEnv, waitReady } from "./test-support/local.js";

let env: TestEnv;
beforeAll(async () => {
  env = await startEnv(["shop"]);
  await env.lc.apply(`
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: uploads, namespace: shop }
spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop, labels: { tier: front } }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      volumes: [{ name: up, persistentVolumeClaim: { claimName: uploads } }]
      containers:
      - { name: app, image: example/web:1, volumeMounts: [{ name: up, mountPath: /srv/uploads }] }
      - { name: proxy, image: example/proxy:1 }
---
apiVersion: v1
kind: Secret
metadata: { name: db-creds, namespace: shop }
type: kubernetes.io/basic-auth
data: { password: ${Buffer.from("hi-there").toString("base64")} }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: shop }
data: { bucket: s3://shop }
`);
  await waitReady(env.lc, "deployments", "shop", "web", 2);
});
afterAll(() => env.lc.stop());

describe("buildTemplateParams", () => {
  it("describes a Deployment: Running pods, their containers and PVC mounts, and the whole object", async () => {
    const params = await buildTemplateParams(
      { kind: "Deployment", namespace: "shop", name: "web" },
      { cluster: env.lc.cluster, options: { mode: "fast" }, time: new Date("2026-01-02T03:04:05.120Z") },
    );
    const d = params.Deployment;
    expect(d?.Name).toBe("web");
    expect(d?.Pods).toHaveLength(2);
    expect(d?.Containers).toEqual([
      ["app", "proxy"],
      ["app", "proxy"],
    ]);
    expect(Object.values(d?.PersistentVolumeClaims ?? {})).toEqual([
      { uploads: "/srv/uploads" },
      { uploads: "/srv/uploads" },
    ]);
    expect(params.StatefulSet).toBeNull();
    expect(params.Time).toBe("2026-01-02T03:04:05.12Z");
    expect(
      render(
        '{{ .Deployment.Namespace }}/{{ index .Object.metadata.labels "tier" }}/{{ .Options.mode }}/{{ len .Deployment.Pods }}',
        params,
      ),
    ).toBe("shop/front/fast/2");
  });

  it("gives Secret data as bytes (printed as Go does, toString for text) and ConfigMap data as text", async () => {
    const scope = new SecretScope();
    try {
      const params = await buildTemplateParams(
        { kind: "Namespace", name: "shop" },
        {
          cluster: env.lc.cluster,
          secrets: { db: { namespace: "shop", name: "db-creds" } },
          configMaps: { cfg: { namespace: "shop", name: "settings" } },
          secretScope: scope,
        },
      );
      expect(params.Namespace).toEqual({ Name: "shop", Namespace: "shop" });
      // Kanister: .Namespace from the object's namespace, .Object the namespace named.
      const other = await buildTemplateParams(
        { kind: "Namespace", name: "shop", namespace: "elsewhere" },
        { cluster: env.lc.cluster },
      );
      expect([other.Namespace?.Name, other.Namespace?.Namespace, other.Object?.metadata?.name]).toEqual([
        "elsewhere",
        "elsewhere",
        "shop",
      ]);
      expect(params.Secrets.db?.Data.password).toBeInstanceOf(Uint8Array);
      expect(
        render(
          "{{ .Secrets.db.Data.password | toString }} {{ .Secrets.db.Type }} {{ .Secrets.db.Name }}",
          params,
        ),
      ).toBe("hi-there kubernetes.io/basic-auth db-creds");
      expect(render("{{ .Secrets.db.Data.password }}", params)).toBe("[104 105 45 116 104 101 114 101]");
      expect(render("{{ .ConfigMaps.cfg.Data.bucket }}", params)).toBe("s3://shop");
      expect(redactText("password hi-there")).toBe("password [REDACTED]");
    } finally {
      scope.dispose();
    }
    expect(redactText("password hi-there")).toBe("password hi-there");
  });

  it("describes a PVC and any other object through discovery", async () => {
    const pvc = await buildTemplateParams(
      { kind: "PVC", namespace: "shop", name: "uploads" },
      { cluster: env.lc.cluster },
    );
    expect(pvc.PVC).toEqual({ Name: "uploads", Namespace: "shop" });
    expect(pvc.Object?.kind).toBe("PersistentVolumeClaim");
    const cm = await buildTemplateParams(
      { kind: "ConfigMap", apiVersion: "v1", namespace: "shop", name: "settings" },
      { cluster: env.lc.cluster },
    );
    expect(render("{{ .Object.data.bucket }}", cm)).toBe("s3://shop");
  });

  it("fails on a missing subject with the API's not-found error", async () => {
    await expect(
      buildTemplateParams(
        { kind: "StatefulSet", namespace: "shop", name: "nope" },
        { cluster: env.lc.cluster },
      ),
    ).rejects.toMatchObject({ code: "QUIESCE_KUBE_NOT_FOUND" });
  });
});

describe("plain TemplateParams", () => {
  it("leave absent parts null, as Go's nil pointers: `if` works, field access fails", () => {
    const params = emptyTemplateParams({ time: new Date("2026-01-02T03:04:05Z") });
    expect(params.Time).toBe("2026-01-02T03:04:05Z");
    expect(render("{{ if .StatefulSet }}sts{{ else }}none{{ end }}", params)).toBe("none");
    expect(() => render("{{ .StatefulSet.Name }}", params)).toThrow();
  });

  // Kanister pkg/param/param.go New: Time = time.Now().UTC().Format(time.RFC3339Nano).
  it("format Time as Go's RFC3339Nano: up to nine digits, trailing zeros dropped, none on a whole second", () => {
    expect(formatRFC3339Nano(new Date("2026-11-21T10:20:30.456Z"))).toBe("2026-11-21T10:20:30.456Z");
    expect(formatRFC3339Nano(new Date("2026-11-21T10:20:30.400Z"))).toBe("2026-11-21T10:20:30.4Z");
    expect(formatRFC3339Nano(new Date("2026-11-21T10:20:30.000Z"))).toBe("2026-11-21T10:20:30Z");
    const at = (nanos: number) => new GoTime(Date.UTC(2026, 10, 21, 10, 20, 30) / 1000, nanos, 3600, "CET");
    expect(formatRFC3339Nano(at(123_456_789))).toBe("2026-11-21T10:20:30.123456789Z");
    expect(formatRFC3339Nano(at(123_456_000))).toBe("2026-11-21T10:20:30.123456Z");
    expect(formatRFC3339Nano(at(100))).toBe("2026-11-21T10:20:30.0000001Z");
    expect(formatRFC3339Nano(at(0))).toBe("2026-11-21T10:20:30Z");
  });

  it("take .Time to the microsecond, on the wall clock", () => {
    const before = Date.now();
    const times = Array.from({ length: 50 }, () => emptyTemplateParams().Time);
    const after = Date.now();
    for (const t of times) {
      const m = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.(\d{1,6}))?Z$/.exec(t);
      expect(m, t).not.toBeNull();
      expect(m?.[1] ?? "").not.toMatch(/0$/);
      const ms = Date.parse(t);
      expect(ms).toBeGreaterThanOrEqual(before - 2);
      expect(ms).toBeLessThanOrEqual(after + 2);
    }
    // A millisecond clock would never print more than three digits.
    expect(times.some((t) => /\.\d{4,6}Z$/.test(t))).toBe(true);
  });
});
