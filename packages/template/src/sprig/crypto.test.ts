import { describe, expect, it } from "vitest";
import { sprigFunctions as f } from "./index.js";

const call = (name: string, ...args: unknown[]) => {
  const fn = f[name];
  if (fn === undefined) throw new Error(`no function ${name}`);
  return fn(...args);
};

describe("crypto", () => {
  it("decrypts sprig's AES-256-CBC format and round-trips its own output", () => {
    expect(call("decryptAES", "secretkey", "BwcHBwcHBwcHBwcHBwcHB/GwrxHtbk3NF/NkI+wJ7yk=")).toBe("hello aes");
    const sealed = call("encryptAES", "k", "round trip") as string;
    expect(sealed).not.toContain("round trip");
    expect(call("decryptAES", "k", sealed)).toBe("round trip");
    expect(call("encryptAES", "k", "")).toBe("");
  });

  it("fails as Go does on malformed ciphertext", () => {
    expect(() => call("decryptAES", "k", "not base64")).toThrow("illegal base64 data");
    expect(() => call("decryptAES", "k", "YWJj")).toThrow("slice bounds out of range");
  });

  it("returns random bytes as base64", () => {
    expect(call("randBytes", 12)).toMatch(/^[A-Za-z0-9+/]{16}$/);
    expect(call("randBytes", 12)).not.toBe(call("randBytes", 12));
  });
});
