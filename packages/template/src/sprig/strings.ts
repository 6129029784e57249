/** sprig's string functions: case, trimming, abbreviation, wrapping, quoting, splitting, joining. */

import { randomInt } from "node:crypto";
import { chargeWork } from "../budget.js";
import type { FuncMap } from "../functions.js";
import { GoFuncError } from "../go/call-error.js";
import { goQuote } from "../go/quote.js";
import { compareGoStrings } from "../go/values.js";
import { argInt, argString, checkSize, isList, listItems } from "./args.js";
import { toLowerCaseWords, toPascalCase } from "./case-words.js";
import {
  goLower,
  goSplit,
  goUpper,
  isGoSpace,
  isLowerRune,
  isUpperRune,
  printV,
  strval,
  trimCutset,
  trimSpace,
  utf8,
} from "./text.js";

/** A Go runtime panic inside a function (slice bounds and the like). */
function panicError(message: string): GoFuncError {
  return new GoFuncError(`runtime error: ${message}`);
}

/** goutils.AbbreviateFull (byte lengths, as Go). */
function abbreviateFull(str: string, offsetIn: number, maxWidth: number): string {
  if (str === "" || maxWidth < 4) return str === "" ? "" : "";
  const b = utf8(str);
  const len = b.length;
  if (len <= maxWidth) return str;
  let offset = Math.min(offsetIn, len);
  if (len - offset < maxWidth - 3) offset = len - (maxWidth - 3);
  if (offset <= 4) return `${b.subarray(0, maxWidth - 3).toString()}...`;
  if (maxWidth < 7) return "";
  if (offset + maxWidth - 3 < len)
    return `...${abbreviateFull(b.subarray(offset).toString(), 0, maxWidth - 3)}`;
  return `...${b.subarray(len - (maxWidth - 3)).toString()}`;
}

/** goutils.WrapCustom, on UTF-8 bytes as Go indexes strings. */
function wrapCustom(text: string, wrapLength: number, newLine: string, wrapLong: boolean): string {
  if (text === "") return "";
  const str = utf8(text);
  const nl = utf8(newLine === "" ? "\n" : newLine);
  const width = Math.max(1, wrapLength);
  checkSize("wrap", Math.ceil(str.length / width) * nl.length + str.length);
  const len = str.length;
  const SPACE = 0x20;
  let offset = 0;
  const out: Buffer[] = [];
  while (len - offset > width) {
    if (str[offset] === SPACE) {
      offset++;
      continue;
    }
    const space = str.subarray(offset, Math.min(len, width + offset + 1)).lastIndexOf(SPACE) + offset;
    if (space >= offset) {
      out.push(str.subarray(offset, space), nl);
      offset = space + 1;
    } else if (wrapLong) {
      out.push(str.subarray(offset, width + offset), nl);
      offset += width;
    } else {
      const idx = str.indexOf(SPACE, width + offset);
      if (idx === -1) {
        out.push(str.subarray(offset));
        offset = len;
      } else {
        out.push(str.subarray(offset, idx), nl);
        offset = idx + 1;
      }
    }
  }
  out.push(str.subarray(offset));
  return Buffer.concat(out).toString("utf8");
}

/** unicode.ToTitle differs from ToUpper only for the Latin digraphs (ǆ → ǅ, not Ǆ). */
const TITLE_DIGRAPHS: Readonly<Record<string, string>> = {
  "\u01c4": "\u01c5",
  "\u01c5": "\u01c5",
  "\u01c6": "\u01c5",
  "\u01c7": "\u01c8",
  "\u01c8": "\u01c8",
  "\u01c9": "\u01c8",
  "\u01ca": "\u01cb",
  "\u01cb": "\u01cb",
  "\u01cc": "\u01cb",
  "\u01f1": "\u01f2",
  "\u01f2": "\u01f2",
  "\u01f3": "\u01f2",
};

/** Go's (deprecated) strings.Title: title-case the first letter of every word. */
function title(s: string): string {
  let prev = " ";
  let out = "";
  for (const ch of s) {
    out += isSeparator(prev) ? (TITLE_DIGRAPHS[ch] ?? goUpper(ch)) : ch;
    prev = ch;
  }
  return out;
}

function isSeparator(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp <= 0x7f) {
    return !((cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122) || cp === 95);
  }
  if (/^[\p{L}\p{N}]$/u.test(ch)) return false;
  return isGoSpace(cp);
}

/** goutils.Uncapitalize: lower-case the first letter of each whitespace-separated word. */
function untitle(s: string): string {
  let next = true;
  let out = "";
  for (const ch of s) {
    if (isGoSpace(ch.codePointAt(0) ?? 0)) {
      next = true;
      out += ch;
    } else if (next) {
      out += goLower(ch);
      next = false;
    } else out += ch;
  }
  return out;
}

/** goutils.SwapCase (title case after a space equals upper case for the runes templates use). */
function swapCase(s: string): string {
  let out = "";
  for (const ch of s) {
    if (isUpperRune(ch) || /^\p{Lt}$/u.test(ch)) out += goLower(ch);
    else if (isLowerRune(ch)) out += goUpper(ch);
    else out += ch;
  }
  return out;
}

/**
 * goutils reads strings byte by byte and treats each byte as a rune (U+0000–U+00FF): non-ASCII text
 * comes out as Latin-1 mojibake, which Go users get too.
 */
function latin1Runes(s: string): string[] {
  return Array.from(Buffer.from(s, "utf8"), (b) => String.fromCharCode(b));
}

/** goutils.DeleteWhiteSpace: unchanged when nothing is a space, else rebuilt byte-wise. */
function deleteWhiteSpace(s: string): string {
  const bytes = latin1Runes(s);
  const kept = bytes.filter((c) => !isGoSpace(c.charCodeAt(0)));
  return kept.length === bytes.length ? s : kept.join("");
}

/** goutils.Initials: the first byte-rune after each whitespace byte. */
function initials(s: string): string {
  let out = "";
  let gap = true;
  for (const c of latin1Runes(s)) {
    if (isGoSpace(c.charCodeAt(0))) gap = true;
    else if (gap) {
      out += c;
      gap = false;
    }
  }
  return out;
}

function lineCount(s: string): number {
  let n = 1;
  for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) n++;
  return n;
}

/** sprig's strslice: a list's non-nil items as strings; nil is empty; another value a one-item list. */
export function toStrings(v: unknown): string[] {
  if (isList(v))
    return listItems(v)
      .filter((e) => e !== null && e !== undefined)
      .map(strval);
  if (v === null || v === undefined) return [];
  return [strval(v)];
}

function splitToMap(parts: string[]): Record<string, string> {
  // A map of n entries: 16 bytes of work each, as a dict entry.
  chargeWork(parts.length * 16);
  const out: Record<string, string> = {};
  parts.forEach((p, i) => {
    out[`_${i}`] = p;
  });
  return out;
}

function substr(startIn: unknown, endIn: unknown, sIn: unknown): string {
  const start = argInt(startIn);
  const end = argInt(endIn);
  const b = utf8(argString(sIn));
  const slice = (a: number, z: number) => {
    if (a < 0 || z > b.length || a > z) throw panicError(`slice bounds out of range [${a}:${z}]`);
    return b.subarray(a, z).toString();
  };
  if (start < 0) return slice(0, end);
  if (end < 0 || end > b.length) return slice(start, b.length);
  return slice(start, end);
}

const ALPHA = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
function randomFrom(chars: string, count: unknown): string {
  const n = argInt(count);
  checkSize("rand", n);
  let out = "";
  for (let i = 0; i < n; i++) out += chars[randomInt(chars.length)];
  return out;
}
const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join("");

function shuffle(s: string): string {
  const runes = [...s];
  for (let i = runes.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [runes[i], runes[j]] = [runes[j] ?? "", runes[i] ?? ""];
  }
  return runes.join("");
}

const s1 = (f: (s: string) => unknown) => (a: unknown) => f(argString(a));
const s2 = (f: (a: string, b: string) => unknown) => (a: unknown, b: unknown) =>
  f(argString(a), argString(b));

/** The string family of sprig's function map. */
export const stringFunctions: FuncMap = {
  hello: () => "Hello!",
  abbrev: (w, s) => {
    const width = argInt(w);
    const str = argString(s);
    return width < 4 ? str : abbreviateFull(str, 0, width);
  },
  abbrevboth: (l, r, s) => {
    const left = argInt(l);
    const right = argInt(r);
    const str = argString(s);
    if (right < 4 || (left > 0 && right < 7)) return str;
    return abbreviateFull(str, left, right);
  },
  trunc: (c, s) => {
    const n = argInt(c);
    const b = utf8(argString(s));
    if (n < 0 && b.length + n > 0) return b.subarray(b.length + n).toString();
    if (n >= 0 && b.length > n) return b.subarray(0, n).toString();
    return b.toString();
  },
  trim: s1(trimSpace),
  upper: s1(goUpper),
  lower: s1(goLower),
  title: s1(title),
  untitle: s1(untitle),
  substr,
  repeat: (count, str) => {
    const n = argInt(count);
    const s = argString(str);
    if (n < 0) throw new GoFuncError("strings: negative Repeat count");
    checkSize("repeat", n * s.length);
    return s.repeat(n);
  },
  trimall: s2((a, b) => trimCutset(b, a)),
  trimAll: s2((a, b) => trimCutset(b, a)),
  trimSuffix: s2((a, b) => (a !== "" && b.endsWith(a) ? b.slice(0, b.length - a.length) : b)),
  trimPrefix: s2((a, b) => (b.startsWith(a) ? b.slice(a.length) : b)),
  nospace: s1(deleteWhiteSpace),
  initials: s1(initials),
  randAlphaNum: (n) => randomFrom(`${ALPHA}0123456789`, n),
  randAlpha: (n) => randomFrom(ALPHA, n),
  randAscii: (n) => randomFrom(ASCII, n),
  randNumeric: (n) => randomFrom("0123456789", n),
  swapcase: s1(swapCase),
  shuffle: s1(shuffle),
  snakecase: s1((s) => toLowerCaseWords(s, "_")),
  // sprig v3.3.0 (KubeStash's pin): camelcase is xstrings v1.5.0's ToPascalCase.
  camelcase: s1(toPascalCase),
  kebabcase: s1((s) => toLowerCaseWords(s, "-")),
  wrap: (l, s) => wrapCustom(argString(s), argInt(l), "", false),
  wrapWith: (l, sep, s) => wrapCustom(argString(s), argInt(l), argString(sep), true),
  contains: s2((sub, s) => s.includes(sub)),
  hasPrefix: s2((p, s) => s.startsWith(p)),
  hasSuffix: s2((p, s) => s.endsWith(p)),
  quote: (...xs) =>
    xs
      .filter((x) => x !== null && x !== undefined)
      .map((x) => goQuote(strval(x)))
      .join(" "),
  squote: (...xs) =>
    xs
      .filter((x) => x !== null && x !== undefined)
      .map((x) => `'${printV(x)}'`)
      .join(" "),
  cat: (...xs) =>
    xs
      .filter((x) => x !== null && x !== undefined)
      .map(printV)
      .join(" "),
  indent: (n, v) => {
    const text = argString(v);
    checkSize("indent", lineCount(text) * Math.max(0, argInt(n)) + text.length);
    const pad = " ".repeat(Math.max(0, argInt(n)));
    return pad + text.replaceAll("\n", `\n${pad}`);
  },
  nindent: (n, v) => {
    const text = argString(v);
    checkSize("nindent", lineCount(text) * Math.max(0, argInt(n)) + text.length);
    const pad = " ".repeat(Math.max(0, argInt(n)));
    return `\n${pad}${text.replaceAll("\n", `\n${pad}`)}`;
  },
  replace: (o, n, src) => {
    const old = argString(o);
    const rep = argString(n);
    const s = argString(src);
    if (old === "") {
      checkSize("replace", s.length + (s.length + 1) * rep.length);
      return [...s].map((c) => rep + c).join("") + rep;
    }
    // Non-overlapping matches, left to right (strings.Replace), counted without building a list.
    let count = 0;
    for (let at = s.indexOf(old); at >= 0; at = s.indexOf(old, at + old.length)) count++;
    checkSize("replace", s.length + count * rep.length);
    return count === 0 ? s : s.replaceAll(old, rep);
  },
  plural: (one, many, count) => {
    const a = argString(one);
    const b = argString(many);
    return argInt(count) === 1 ? a : b;
  },
  toString: (v: unknown) => strval(v),
  split: s2((sep, s) => splitToMap(goSplit(s, sep))),
  splitList: s2((sep, s) => goSplit(s, sep)),
  splitn: (sep, n, s) => splitToMap(goSplit(argString(s), argString(sep), argInt(n))),
  toStrings,
  join: (sep, v) => {
    const sp = argString(sep);
    const items = toStrings(v);
    checkSize("join", items.reduce((n, x) => n + x.length, 0) + items.length * sp.length);
    return items.join(sp);
  },
  sortAlpha: (v) => {
    if (!isList(v)) return [strval(v)];
    // A sort compares n·log n times: charged before sorting.
    chargeWork(v.length * Math.ceil(Math.log2(v.length + 1)) * 2);
    return toStrings(v).sort(compareGoStrings);
  },
};
