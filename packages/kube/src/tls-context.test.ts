import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SharedSecureContext } from "./tls-context.js";

const pem = () =>
  generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" });

describe("SharedSecureContext", () => {
  it("serves one context while the credentials stay the same, and a new one once they change", () => {
    const shared = new SharedSecureContext();
    const key = pem();
    const first = shared.for({ key: Buffer.from(key), minVersion: "TLSv1.2" });
    // Re-read credentials (a new Buffer with the same bytes) keep the context: it is built once.
    expect(shared.for({ key: Buffer.from(key), minVersion: "TLSv1.2" })).toBe(first);
    // A rotated key, or another TLS setting, gets a new one.
    const rotated = shared.for({ key: Buffer.from(pem()), minVersion: "TLSv1.2" });
    expect(rotated).not.toBe(first);
    expect(shared.for({ key: Buffer.from(key), minVersion: "TLSv1.3" })).not.toBe(first);
  });
});
