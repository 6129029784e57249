import { describe, expect, it } from "vitest";
import { ownKeys } from "./values.js";

/** Go sorts map keys by their UTF-8 bytes. */
const goOrder = (keys: string[]) => [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

describe("ownKeys", () => {
  it("lists a map's keys in Go's byte order, for few and many keys, with and without surrogates", () => {
    const alphabet = ["a", "B", "z", "_", "0", "é", "\uFFFD", "\u{1F600}", "\uE000", "-", "aa", "ab"];
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    for (let round = 0; round < 300; round++) {
      const n = next() % 40;
      const map: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        let k = "";
        for (let len = 1 + (next() % 4); len > 0; len--) k += alphabet[next() % alphabet.length];
        map[k] = i;
      }
      expect(ownKeys(map)).toEqual(goOrder(Object.keys(map)));
    }
  });

  it("leaves out getters and non-enumerable properties", () => {
    const map: Record<string, unknown> = { b: 1, a: 2 };
    Object.defineProperty(map, "c", { get: () => 3, enumerable: true });
    Object.defineProperty(map, "d", { value: 4, enumerable: false });
    expect(ownKeys(map)).toEqual(["a", "b"]);
  });
});
