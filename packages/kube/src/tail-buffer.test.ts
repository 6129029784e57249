import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TailBuffer } from "./tail-buffer.js";

describe("TailBuffer", () => {
  it("keeps everything under the limit", () => {
    const t = new TailBuffer(10);
    t.write(Buffer.from("abc"));
    t.write(Buffer.from("def"));
    expect(t.text()).toBe("abcdef");
    expect(t.truncated).toBe(false);
    expect(t.droppedBytes).toBe(0);
  });

  it("keeps the tail and counts what it dropped, across chunk boundaries", () => {
    const t = new TailBuffer(5);
    for (const s of ["hello ", "wor", "ld", "!"]) t.write(Buffer.from(s));
    expect(t.text()).toBe("orld!");
    expect(t.droppedBytes).toBe(7);
    expect(t.totalBytes).toBe(12);
    expect(t.truncated).toBe(true);
  });

  it("handles a single chunk larger than the limit without keeping it", () => {
    const big = Buffer.alloc(1 << 20, 0x61);
    big[big.length - 1] = 0x7a;
    const t = new TailBuffer(4);
    t.write(big);
    expect(t.text()).toBe("aaaz");
    expect(t.bytes().buffer.byteLength).toBeLessThan(1 << 20);
  });

  it("stays bounded over many writes", () => {
    const t = new TailBuffer(1000);
    for (let i = 0; i < 10_000; i++) t.write(Buffer.from(`line ${i}\n`));
    expect(t.bytes().length).toBe(1000);
    expect(t.text().endsWith("line 9999\n")).toBe(true);
  });

  it("keeps nothing with a zero limit but still counts", () => {
    const t = new TailBuffer(0);
    t.write(Buffer.from("abc"));
    expect(t.text()).toBe("");
    expect(t.droppedBytes).toBe(3);
  });

  it("copies what it keeps: the writer may reuse its buffer at once", () => {
    const reused = Buffer.from("abcd");
    const t = new TailBuffer(6);
    t.write(reused);
    reused.write("wxyz");
    t.write(reused.subarray(0, 3));
    expect(t.text()).toBe("bcdwxy");
  });

  it("always holds the last `limit` bytes of everything written, whatever the chunking", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 700 }), { maxLength: 40 }),
        fc.integer({ min: 0, max: 1500 }),
        (chunks, limit) => {
          const t = new TailBuffer(limit);
          for (const c of chunks) t.write(c);
          const all = Buffer.concat(chunks);
          const kept = limit === 0 ? Buffer.alloc(0) : all.subarray(Math.max(0, all.length - limit));
          expect(Buffer.from(t.bytes())).toEqual(kept);
          expect(t.totalBytes).toBe(all.length);
          expect(t.droppedBytes).toBe(all.length - kept.length);
        },
      ),
    );
  });
});
