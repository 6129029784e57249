/** Unicode helpers with Go's semantics: unicode.IsSpace, per-rune case mapping, strval. */

import { formatValue } from "../go/fmt.js";

/** Go's unicode.IsSpace. */
export function isGoSpace(cp: number): boolean {
  if (cp <= 0xff) return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp === 0x85 || cp === 0xa0;
  return (
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

/** Maps each rune alone, as Go's unicode.ToUpper/ToLower do (no multi-rune expansions like ß → SS). */
function mapRunes(s: string, f: (ch: string) => string): string {
  let out = "";
  for (const ch of s) {
    const m = f(ch);
    out += [...m].length === 1 ? m : ch;
  }
  return out;
}

export function goUpper(s: string): string {
  return isAscii(s) ? s.toUpperCase() : mapRunes(s, (c) => c.toUpperCase());
}

export function goLower(s: string): string {
  // U+0130 is the one rune whose JavaScript lower case expands; Go maps it to a plain "i".
  return isAscii(s) ? s.toLowerCase() : mapRunes(s, (c) => (c === "\u0130" ? "i" : c.toLowerCase()));
}

export function isUpperRune(ch: string): boolean {
  return ch !== ch.toLowerCase() && ch === ch.toUpperCase();
}

export function isLowerRune(ch: string): boolean {
  return ch !== ch.toUpperCase() && ch === ch.toLowerCase();
}

/** Go's strings.TrimSpace. */
export function trimSpace(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isGoSpace(s.charCodeAt(a))) a++;
  while (b > a && isGoSpace(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}

/** Go's strings.Trim with a cutset. */
export function trimCutset(s: string, cutset: string): string {
  const set = new Set(cutset);
  const chars = [...s];
  let a = 0;
  let b = chars.length;
  while (a < b && set.has(chars[a] ?? "")) a++;
  while (b > a && set.has(chars[b - 1] ?? "")) b--;
  return chars.slice(a, b).join("");
}

/**
 * sprig's strval: strings as they are, bytes decoded as UTF-8, values with a Go String() method
 * through it, anything else with `%v`.
 */
export function strval(v: unknown): string {
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("utf8");
  return printV(v);
}

/** `%v` that also prints values with a `goString()` method (times, semver versions) the Go way. */
export function printV(v: unknown): string {
  if (typeof v === "object" && v !== null && typeof (v as { goString?: unknown }).goString === "function") {
    return (v as { goString: () => string }).goString();
  }
  return formatValue(v);
}

/** Go strings.Split: an empty separator splits into runes. */
export function goSplit(s: string, sep: string, n = -1): string[] {
  if (n === 0) return [];
  if (sep === "") {
    const runes = [...s];
    if (n > 0 && runes.length > n) return [...runes.slice(0, n - 1), runes.slice(n - 1).join("")];
    return runes;
  }
  const parts = s.split(sep);
  if (n > 0 && parts.length > n) return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
  return parts;
}

/** UTF-8 byte view of a string, for Go's byte-indexed slicing. */
export function utf8(s: string): Buffer {
  return Buffer.from(s, "utf8");
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}
