import { describe, expect, it } from "vitest";
import { kanisterLogTail } from "./common.js";

describe("kanisterLogTail (Kanister pkg/kube/log_tail.go)", () => {
  it("keeps the last 10 non-empty lines, trimmed, joined with CRLF", () => {
    const text = Array.from({ length: 12 }, (_, i) => `  line ${i + 1}\r`).join("\n\n");
    expect(kanisterLogTail(text)).toBe(Array.from({ length: 10 }, (_, i) => `line ${i + 3}`).join("\r\n"));
    expect(kanisterLogTail("")).toBe("");
    expect(kanisterLogTail("\n \n\t\n")).toBe("");
    expect(kanisterLogTail("one\ntwo")).toBe("one\r\ntwo");
  });

  it("cuts a very long line (Kanister keeps it whole)", () => {
    expect(kanisterLogTail("x".repeat(5000))).toBe(`${"x".repeat(4096)}…`);
  });
});
