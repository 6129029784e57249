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

  // LogTail.Write scans each of io.Copy's (at most 32 KiB) writes on its own.
  it("takes a line longer than io.Copy's 32 KiB read as several lines, keeping every byte", () => {
    const long = `${"a".repeat(32 * 1024)}${"b".repeat(40_000)}`;
    expect(kanisterLogTail(`first\n${long}\nlast`)).toBe(
      ["first", "a".repeat(32 * 1024), "b".repeat(32 * 1024), "b".repeat(40_000 - 32 * 1024), "last"].join(
        "\r\n",
      ),
    );
    // Only the last 10 pieces are kept.
    expect(kanisterLogTail("c".repeat(11 * 32 * 1024)).split("\r\n")).toHaveLength(10);
  });

  it("trims as Go's strings.TrimSpace does: U+0085 is space, U+FEFF is not", () => {
    expect(kanisterLogTail("\u0085done\u00a0\n\ufeff\n")).toBe("done\r\n\ufeff");
  });
});
