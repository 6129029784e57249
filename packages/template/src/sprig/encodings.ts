/** sprig's encodings and hashes: b64enc/b64dec, b32enc/b32dec, sha1sum, sha256sum, sha512sum, adler32sum, uuidv4. */

import { createHash, randomUUID } from "node:crypto";
import type { FuncMap } from "../functions.js";
import { argString } from "./args.js";

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

const lookups = new Map<string, Map<number, number>>();

/** An alphabet's decoding table, built once (b64dec runs on every render of a credential). */
function lookupOf(alphabet: string): Map<number, number> {
  let lookup = lookups.get(alphabet);
  if (lookup === undefined) {
    lookup = new Map([...alphabet].map((c, i) => [c.charCodeAt(0), i]));
    lookups.set(alphabet, lookup);
  }
  return lookup;
}

/**
 * Go's base64/base32 StdEncoding decode, returning the bytes or Go's error text
 * ("illegal base64 data at input byte N"). Newlines are skipped as Go does.
 */
export function decodeBase(src: string, alphabet: string, bits: 6 | 5, name: string): Buffer | string {
  const quantum = bits === 6 ? 4 : 8;
  const lookup = lookupOf(alphabet);
  const bytes =
    Buffer.from(src, "latin1").length === src.length ? Buffer.from(src, "latin1") : Buffer.from(src);
  const fail = (pos: number) => `illegal ${name} data at input byte ${pos}`;
  const out: number[] = [];
  let si = 0;
  while (si < bytes.length) {
    const vals: number[] = [];
    let ended = false;
    while (vals.length < quantum) {
      if (si === bytes.length) {
        if (vals.length === 0) return Buffer.from(out);
        return fail(si - vals.length);
      }
      const c = bytes[si++] ?? 0;
      const v = lookup.get(c);
      if (v !== undefined) {
        vals.push(v);
        continue;
      }
      if (c === 10 || c === 13) continue;
      if (c !== 61) return fail(si - 1);
      // Padding: the rest of the quantum must be "=".
      const j = vals.length;
      const minData = bits === 6 ? 2 : 2;
      if (j < minData || (bits === 5 && ![2, 4, 5, 7].includes(j))) return fail(si - 1);
      let needed = quantum - j - 1;
      while (needed > 0) {
        while (si < bytes.length && (bytes[si] === 10 || bytes[si] === 13)) si++;
        if (si === bytes.length) return fail(bytes.length);
        if (bytes[si] !== 61) return fail(si - 1);
        si++;
        needed--;
      }
      while (si < bytes.length && (bytes[si] === 10 || bytes[si] === 13)) si++;
      if (si < bytes.length) return fail(si);
      ended = true;
      break;
    }
    let acc = 0n;
    for (let i = 0; i < quantum; i++) acc = (acc << BigInt(bits)) | BigInt(vals[i] ?? 0);
    const total = (quantum * bits) / 8;
    const n = Math.floor((vals.length * bits) / 8);
    for (let i = 0; i < n; i++) out.push(Number((acc >> BigInt(8 * (total - 1 - i))) & 0xffn));
    if (ended) break;
  }
  return Buffer.from(out);
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
