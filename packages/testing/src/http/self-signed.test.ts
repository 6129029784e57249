import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { integer, selfSignedCertificate } from "./self-signed.js";

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

  it("encodes integers in DER's minimal form, as a random serial starting with zero bytes needs", () => {
    const hex = (b: Buffer) => integer(b).toString("hex");
    expect(hex(Buffer.from("00007f01", "hex"))).toBe("02027f01");
    expect(hex(Buffer.from("0080", "hex"))).toBe("02020080");
    expect(hex(Buffer.from("80", "hex"))).toBe("02020080");
    expect(hex(Buffer.from("0000", "hex"))).toBe("020100");
    expect(hex(Buffer.from("02", "hex"))).toBe("020102");
  });
});
