import { describe, expect, it } from "vitest";
import { LogBuffer } from "./log-buffer.js";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

describe("LogBuffer", () => {
  it("keeps only the newest bytes within its cap", () => {
    const log = new LogBuffer(10);
    log.append(enc("0123456789"));
    log.append(enc("abcd"));
    expect(dec(log.snapshot())).toBe("456789abcd");
    log.append(enc("a very long line that alone exceeds the cap"));
    expect(dec(log.snapshot())).toBe("ds the cap");
  });

  it("returns the last N lines, a trailing newline ending the last one", () => {
    const log = new LogBuffer(1024);
    log.append(enc("one\ntwo\nthr"));
    log.append(enc("ee\n"));
    expect(dec(log.snapshot(2))).toBe("two\nthree\n");
    expect(dec(log.snapshot(10))).toBe("one\ntwo\nthree\n");
    expect(dec(log.snapshot(0))).toBe("");
  });

  it("tells followers about new chunks and the end, and copies what writers may reuse", () => {
    const log = new LogBuffer(1024);
    const seen: (string | undefined)[] = [];
    const unsubscribe = log.subscribe((c) => seen.push(c && dec(c)));
    const reused = enc("aaaa");
    log.append(reused);
    reused.fill(0x62);
    log.append(reused);
    log.end();
    log.append(enc("ignored after the end"));
    unsubscribe();
    expect(seen).toEqual(["aaaa", "bbbb", undefined]);
    expect(dec(log.snapshot())).toBe("aaaabbbb");
  });
});
