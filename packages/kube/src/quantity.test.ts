// Cases from k8s.io/apimachinery pkg/api/resource/quantity_test.go (TestQuantityParse, TestQuantityString).
import { describe, expect, it } from "vitest";
import {
  canonicalQuantity,
  formatQuantity,
  isZeroQuantity,
  parseQuantity,
  type Quantity,
  type QuantityFormat,
  quantityOf,
  quantityValue,
} from "./quantity.js";

/** A value as a reduced decimal string, to compare quantities whatever their digits/scale split. */
function exact(q: { digits: bigint; scale: number }): string {
  let { digits, scale } = q;
  if (digits === 0n) return "0";
  while (digits % 10n === 0n) {
    digits /= 10n;
    scale++;
  }
  return `${digits}e${scale}`;
}

const B = "BinarySI";
const D = "DecimalSI";
const E = "DecimalExponent";

describe("parseQuantity", () => {
  it.each<[string, bigint, number, QuantityFormat]>([
    ["0", 0n, 0, D],
    ["0Ki", 0n, 0, B],
    ["0M", 0n, 0, D],
    ["1", 1n, 0, D],
    ["1Ki", 1024n, 0, B],
    ["6Gi", 6n * 1024n ** 3n, 0, B],
    ["3Ei", 3n * 1024n ** 6n, 0, B],
    ["5n", 5n, -9, D],
    ["50k", 5n, 4, D],
    ["1E", 1n, 18, D],
    ["1E-3", 1n, -3, E],
    ["1e3", 1n, 3, E],
    ["100.035k", 100035n, 0, D],
    ["0.0005k", 5n, -1, D],
    ["0.5e-2", 5n, -3, E],
    ["1.3E+6", 13n, 5, E],
    ["6.987654321G", 6987654321n, 0, D],
    ["3.001n", 4n, -9, D],
    ["1.1E-9", 2n, -9, E],
    ["0.0000000005", 1n, -9, D],
    ["0.00000012354", 124n, -9, D],
    ["9Ei", 2n ** 63n - 1n, 0, B],
    ["12E", 12n, 18, D],
    ["100.035Ki", 10243584n, -2, B],
    ["0.5Mi", 524288n, 0, B],
    ["0.05Gi", 536870912n, -1, B],
    ["0.000000000001Ki", 2n, -9, D],
    [".001", 1n, -3, D],
    ["1.", 1n, 0, D],
    ["1.G", 1n, 9, D],
  ])("%s", (input, digits, scale, format) => {
    const q = parseQuantity(input);
    expect(exact(q)).toBe(exact({ digits, scale }));
    expect(q.format).toBe(format);
  });

  it("rejects what Go rejects, with Go's messages", () => {
    expect(() => parseQuantity("")).toThrow(/must match the regular expression/);
    expect(() => parseQuantity("1Gb")).toThrow(/must match the regular expression/);
    expect(() => parseQuantity("1GiB")).toThrow(/must match the regular expression/);
    expect(() => parseQuantity("1x")).toThrow(/must match the regular expression/);
    expect(() => parseQuantity("1kk")).toThrow(/unable to parse quantity's suffix/);
    expect(() => parseQuantity("<nil>")).toThrow(expect.objectContaining({ code: "QUIESCE_VALIDATION" }));
  });
});

describe("formatQuantity", () => {
  const q = (digits: bigint, scale: number, format: QuantityFormat): Quantity => ({ digits, scale, format });
  it.each<[Quantity, string, string]>([
    [q(1024n ** 3n, 0, B), "1Gi", "1024Mi"],
    [q(300n * 1024n ** 2n, 0, B), "300Mi", "307200Ki"],
    [q(1001n * 1024n ** 3n, 0, B), "1001Gi", "1025024Mi"],
    [q(1024n ** 4n, 0, B), "1Ti", "1024Gi"],
    [q(5n, 0, B), "5", "5000m"],
    [q(500n, -3, B), "500m", "0.5"],
    [q(1n, 9, D), "1G", "1000M"],
    [q(1000n, 6, D), "1G", "0.001T"],
    [q(1n, -3, D), "1m", "1000u"],
    [q(1080n, -3, D), "1080m", "1.08"],
    [q(108n, -2, D), "1080m", "1080000000n"],
    [q(1234567n, -3, B), "1234567m", ""],
    [q(1025n, 0, B), "1025", ""],
    [q(0n, 0, B), "0", ""],
    [q(1n, 9, E), "1e9", ".001e12"],
    [q(1n, -3, E), "1e-3", "0.001e0"],
    [q(1n, -9, E), "1e-9", "1000e-12"],
    [q(80n, -3, E), "80e-3", ""],
    [q(0n, 0, E), "0", "00"],
    [q(10800n, -10, D), "1080n", ""],
  ])("%o prints %s", (quantity, canonical, alternate) => {
    expect(formatQuantity(quantity)).toBe(canonical);
    // A canonical string parses back to itself, kept as written; an alternate spelling canonicalises.
    expect(parseQuantity(canonical).text ?? formatQuantity(parseQuantity(canonical))).toBe(canonical);
    if (alternate) expect(canonicalQuantity(alternate)).toBe(canonical);
    if (quantity.digits !== 0n)
      expect(formatQuantity({ ...quantity, digits: -quantity.digits })).toBe(`-${canonical}`);
  });

  it("keeps a canonical input as written (Go's fast path), signs included", () => {
    expect(canonicalQuantity("+1Gi")).toBe("+1Gi");
    expect(canonicalQuantity("8Gi")).toBe("8Gi");
    expect(canonicalQuantity("1073741824")).toBe("1073741824");
    expect(canonicalQuantity("2048Ki")).toBe("2Mi");
    expect(canonicalQuantity("1.5Gi")).toBe("1536Mi");
    expect(canonicalQuantity("1000")).toBe("1k");
  });

  it("prints NewQuantity(bytes, BinarySI) as the snapshot controller writes restoreSize", () => {
    expect(formatQuantity(quantityOf(1073741824))).toBe("1Gi");
    expect(formatQuantity(quantityOf(12345))).toBe("12345");
    expect(formatQuantity(quantityOf(3 * 1024 * 1024 + 512 * 1024))).toBe("3584Ki");
  });
});

describe("quantityValue and isZeroQuantity", () => {
  it("rounds up to whole units and detects zero", () => {
    expect(quantityValue(parseQuantity("1Gi"))).toBe(1073741824n);
    expect(quantityValue(parseQuantity("1500m"))).toBe(2n);
    expect(quantityValue(parseQuantity("1k"))).toBe(1000n);
    expect(isZeroQuantity(parseQuantity("0Gi"))).toBe(true);
    expect(isZeroQuantity(parseQuantity("0.000000000001"))).toBe(false);
  });
});
