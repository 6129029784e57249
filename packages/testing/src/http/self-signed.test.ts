import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { selfSignedCertificate } from "./self-signed.js";

describe("self-signed certificate", () => {
  it("parses, is self-signed, and names 127.0.0.1 and localhost", () => {
    const { cert } = selfSignedCertificate();
    const x509 = new X509Certificate(cert);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(x509.checkHost("localhost")).toBe("localhost");
    expect(x509.ca).toBe(true);
    expect(new Date(x509.validTo).getTime()).toBeGreaterThan(Date.now());
  });
});
