/** sprig's encodings and hashes: b64enc/b64dec, b32enc/b32dec, sha1sum, sha256sum, sha512sum, adler32sum, uuidv4. */

import { createHash, randomUUID } from "node:crypto";
import type { FuncMap } from "../functions.js";
import { argString } from "./args.js";

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

const tables = new Map<string, Int8Array>();

/** An alphabet's decoding table (-1: not in the alphabet), built once (b64dec runs on every render of a credential). */
function tableOf(alphabet: string): Int8Array {
  let table = tables.get(alphabet);
  if (table === undefined) {
    table = new Int8Array(256).fill(-1);
    for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
    tables.set(alphabet, table);
  }
  return table;
}

/** A string's bytes as Go holds them (UTF-8); an ASCII string's are its char codes. */
function utf8Bytes(s: string): Uint8Array {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return Buffer.from(s, "utf8");
  return Buffer.from(s, "latin1");
}

/**
 * Go's base64/base32 StdEncoding decode, returning the bytes or Go's error text
 * ("illegal base64 data at input byte N", N counting the input's UTF-8 bytes). Newlines are
 * skipped as Go does.
 */
export function decodeBase(src: string, alphabet: string, bits: 6 | 5, name: string): Buffer | string {
  const quantum = bits === 6 ? 4 : 8;
  const table = tableOf(alphabet);
  const bytes = utf8Bytes(src);
  const out = Buffer.allocUnsafe(Math.ceil((bytes.length * bits) / 8));
  let n = 0;
  const vals = new Array<number>(quantum);
  let si = 0;
  while (si < bytes.length) {
    let count = 0;
    let ended = false;
    while (count < quantum) {
      if (si === bytes.length) {
        if (count === 0) return out.subarray(0, n);
        return `illegal ${name} data at input byte ${si - count}`;
      }
      const c = bytes[si++]!;
      const v = table[c]!;
      if (v >= 0) {
        vals[count++] = v;
        continue;
      }
      if (c === 10 || c === 13) continue;
      if (c !== 61) return `illegal ${name} data at input byte ${si - 1}`;
      // Padding: the rest of the quantum must be "=".
      if (count < 2 || (bits === 5 && count !== 2 && count !== 4 && count !== 5 && count !== 7)) {
        return `illegal ${name} data at input byte ${si - 1}`;
      }
      let needed = quantum - count - 1;
      while (needed > 0) {
        while (si < bytes.length && (bytes[si] === 10 || bytes[si] === 13)) si++;
        if (si === bytes.length) return `illegal ${name} data at input byte ${bytes.length}`;
        if (bytes[si] !== 61) return `illegal ${name} data at input byte ${si - 1}`;
        si++;
        needed--;
      }
      while (si < bytes.length && (bytes[si] === 10 || bytes[si] === 13)) si++;
      if (si < bytes.length) return `illegal ${name} data at input byte ${si}`;
      ended = true;
      break;
    }
    // The quantum's bits (24 or 40: exact in a double), most significant first.
    let acc = 0;
    for (let i = 0; i < quantum; i++) acc = acc * (1 << bits) + (i < count ? vals[i]! : 0);
    const total = (quantum * bits) / 8;
    const whole = Math.floor((count * bits) / 8);
    for (let i = 0; i < whole; i++) out[n++] = Math.floor(acc / 2 ** (8 * (total - 1 - i))) & 0xff;
    if (ended) break;
  }
  return out.subarray(0, n);
}

function base32Encode(s: string): string {
  const b = Buffer.from(s);
  let out = "";
  for (let i = 0; i < b.length; i += 5) {
    const chunk = b.subarray(i, i + 5);
    let acc = 0n;
    for (let j = 0; j < 5; j++) acc = (acc << 8n) | BigInt(chunk[j] ?? 0);
    const chars = Math.ceil((chunk.length * 8) / 5);
    for (let j = 0; j < 8; j++) out += j < chars ? B32[Number((acc >> BigInt(35 - 5 * j)) & 31n)] : "=";
  }
  return out;
}

function adler32(s: string): number {
  let a = 1;
  let b = 0;
  for (const byte of Buffer.from(s)) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return (b * 65536 + a) >>> 0;
}

const decoded = (r: Buffer | string) => (typeof r === "string" ? r : r.toString("utf8"));

/** The encoding and hash family of sprig's function map. */
export const encodingFunctions: FuncMap = {
  b64enc: (v) => Buffer.from(argString(v)).toString("base64"),
  b64dec: (v) => decoded(decodeBase(argString(v), B64, 6, "base64")),
  b32enc: (v) => base32Encode(argString(v)),
  b32dec: (v) => decoded(decodeBase(argString(v), B32, 5, "base32")),
  sha1sum: (v) => createHash("sha1").update(argString(v)).digest("hex"),
  sha256sum: (v) => createHash("sha256").update(argString(v)).digest("hex"),
  // Added in sprig v3.3.0.
  sha512sum: (v) => createHash("sha512").update(argString(v)).digest("hex"),
  adler32sum: (v) => String(adler32(argString(v))),
  uuidv4: () => randomUUID(),
};
