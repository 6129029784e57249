/** Go's time.Parse for reference-time layouts, with Go's error texts. */

import { daysFromCivil } from "./civil.js";
import { isDigitAt, LONG_DAYS, LONG_MONTHS, layoutChunks } from "./go-layout.js";

/** A parsed instant: seconds since the epoch, nanoseconds, and the zone it was written in. */
export interface ParsedTime {
  readonly unixSeconds: number;
  readonly nanos: number;
  /** Offset in seconds east of UTC, or undefined when the text named no zone. */
  readonly offset: number | undefined;
  /** Zone abbreviation or "" for a numeric zone; "UTC" for "Z". */
  readonly zone: string;
}

/** Go's `time.ParseError` text. */
export class LayoutParseError extends Error {
  constructor(value: string, layout: string, valueElem: string, layoutElem: string, message = "") {
    const q = (s: string) => JSON.stringify(s);
    super(
      message !== ""
        ? `parsing time ${q(value)}${message}`
        : `parsing time ${q(value)} as ${q(layout)}: cannot parse ${q(valueElem)} as ${q(layoutElem)}`,
    );
  }
}

export function isSpace(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\v" || c === "\f";
}

/** Go's `skip`: match a literal prefix where a run of spaces matches any run of spaces. */
function skipLiteral(value: string, prefix: string): string | undefined {
  let v = value;
  let p = prefix;
  while (p.length > 0) {
    if (p[0] === " ") {
      if (v.length > 0 && v[0] !== " ") return undefined;
      p = p.replace(/^ +/, "");
      v = v.replace(/^ +/, "");
      continue;
    }
    if (v.length === 0 || v[0] !== p[0]) return undefined;
    v = v.slice(1);
    p = p.slice(1);
  }
  return v;
}

function lookupName(names: readonly string[], v: string, len?: number): [number, string] | undefined {
  for (let i = 0; i < names.length; i++) {
    const name = len === undefined ? (names[i] ?? "") : (names[i] ?? "").slice(0, len);
    if (v.length >= name.length && v.slice(0, name.length).toLowerCase() === name.toLowerCase()) {
      return [i, v.slice(name.length)];
    }
  }
  return undefined;
}

/** Reads 1–2 digits (or exactly 2 when `fixed`). */
function getNum(v: string, fixed: boolean): [number, string] | undefined {
  if (!isDigitAt(v, 0)) return undefined;
  if (!isDigitAt(v, 1)) {
    if (fixed) return undefined;
    return [Number(v[0]), v.slice(1)];
  }
  return [Number(v.slice(0, 2)), v.slice(2)];
}

/** Length and digit offsets of each numeric zone form after its sign. */
const ZONE_WIDTHS: Readonly<Record<string, readonly [number, readonly number[]]>> = {
  "07:00": [6, [1, 4]],
  "07": [3, [1]],
  "07:00:00": [9, [1, 4, 7]],
  "070000": [7, [1, 3, 5]],
  "0700": [5, [1, 3]],
};

const SHORT_MONTHS = LONG_MONTHS.map((m) => m.slice(0, 3));
const SHORT_DAYS = LONG_DAYS.map((d) => d.slice(0, 3));

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

function daysIn(month: number, year: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Go's parseTimeZone: how many bytes of `v` look like a zone abbreviation (0 when none). */
function zoneAbbrevLength(v: string): number {
  if (v.length < 3) return 0;
  if (v.startsWith("ChST") || v.startsWith("MeST")) return 4;
  if (v.startsWith("GMT")) {
    const m = /^GMT([+-]\d{1,2})?/.exec(v);
    return m?.[0].length ?? 3;
  }
  let n = 0;
  while (n < 6 && n < v.length && /[A-Z]/.test(v[n] ?? "")) n++;
  if (n === 3) return 3;
  if (n === 4 && (v[3] === "T" || v.startsWith("WITA"))) return 4;
  if (n === 5 && v[4] === "T") return 5;
  return 0;
}

function nanosOf(value: string, nbytes: number): [number, string] {
  // value[0] is the separator; at most 9 digits count.
  const digits = value.slice(1, Math.min(nbytes, 10));
  if (!/^\d+$/.test(digits)) return [0, "bad"];
  return [Number(digits.padEnd(9, "0")), ""];
}

/**
 * Parses `value` with a Go layout, as `time.Parse` with Local = UTC; throws {@link LayoutParseError}
 * carrying Go's message.
 *
 * @example
 * ```ts
 * parseLayout("2006-01-02", "2024-03-05").unixSeconds; // 1709596800
 * ```
 */
export function parseLayout(layout: string, original: string): ParsedTime {
  let value = original;
  let year = 0;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let pmSet = false;
  let amSet = false;
  let utc = false;
  let zoneOffset: number | undefined;
  let zoneName = "";
  const chunks = layoutChunks(layout);
  for (let ci = 0; ci <= chunks.length; ci++) {
    const c = chunks[ci];
    if (c === undefined) {
      if (value.length !== 0) {
        throw new LayoutParseError(original, layout, "", "", `: extra text: ${JSON.stringify(value)}`);
      }
      break;
    }
    if (c.kind === "lit") {
      const rest = skipLiteral(value, c.text);
      if (rest === undefined) throw new LayoutParseError(original, layout, value, c.text);
      value = rest;
      continue;
    }
    const hold = value;
    let bad = false;
    let rangeErr = "";
    if (c.kind === "frac") {
      if (c.zeros) {
        const nd = 1 + c.digits;
        if (value.length < nd || (value[0] !== "." && value[0] !== ",")) bad = true;
        else {
          const [ns, e] = nanosOf(value, nd);
          if (e !== "") bad = true;
          nsec = ns;
          value = value.slice(nd);
        }
      } else if (value.length >= 2 && (value[0] === "." || value[0] === ",") && isDigitAt(value, 1)) {
        let i = 0;
        while (i < 9 && i + 1 < value.length && isDigitAt(value, i + 1)) i++;
        nsec = nanosOf(value, 1 + i)[0];
        value = value.slice(1 + i);
      }
    } else {
      switch (c.code) {
        case "06":
          if (value.length < 2 || !/^\d\d/.test(value)) bad = true;
          else {
            year = Number(value.slice(0, 2));
            year += year >= 69 ? 1900 : 2000;
            value = value.slice(2);
          }
          break;
        case "2006":
          if (value.length < 4 || !/^\d{4}/.test(value)) bad = true;
          else {
            year = Number(value.slice(0, 4));
            value = value.slice(4);
          }
          break;
        case "Jan":
        case "January": {
          const r = lookupName(c.code === "Jan" ? SHORT_MONTHS : LONG_MONTHS, value);
          if (r === undefined) bad = true;
          else [month, value] = [r[0] + 1, r[1]];
          break;
        }
        case "Mon":
        case "Monday": {
          const r = lookupName(c.code === "Mon" ? SHORT_DAYS : LONG_DAYS, value);
          if (r === undefined) bad = true;
          else value = r[1];
          break;
        }
        case "1":
        case "01":
          {
            const r = getNum(value, c.code === "01");
            if (r === undefined) bad = true;
            else [month, value] = r;
          }
          if (!bad && (month <= 0 || month > 12)) rangeErr = "month";
          break;
        case "2":
        case "_2":
        case "02":
          if (c.code === "_2" && value[0] === " ") value = value.slice(1);
          {
            const r = getNum(value, c.code === "02");
            if (r === undefined) bad = true;
            else [day, value] = r;
          }
          break;
        case "002":
        case "__2": {
          for (let i = 0; i < 2; i++) if (c.code === "__2" && value[0] === " ") value = value.slice(1);
          const m = c.code === "002" ? /^\d{3}/.exec(value) : /^\d{1,3}/.exec(value);
          if (m === null) bad = true;
          else [yday, value] = [Number(m[0]), value.slice(m[0].length)];
          break;
        }
        case "15":
          {
            const r = getNum(value, false);
            if (r === undefined) bad = true;
            else [hour, value] = r;
          }
          if (!bad && hour >= 24) rangeErr = "hour";
          break;
        case "3":
        case "03":
          {
            const r = getNum(value, c.code === "03");
            if (r === undefined) bad = true;
            else [hour, value] = r;
          }
          if (!bad && hour > 12) rangeErr = "hour";
          break;
        case "4":
        case "04":
          {
            const r = getNum(value, c.code === "04");
            if (r === undefined) bad = true;
            else [min, value] = r;
          }
          if (!bad && min >= 60) rangeErr = "minute";
          break;
        case "5":
        case "05": {
          {
            const r = getNum(value, c.code === "05");
            if (r === undefined) bad = true;
            else [sec, value] = r;
          }
          if (bad) break;
          if (sec >= 60) {
            rangeErr = "second";
            break;
          }
          // A fractional second in the value that the layout does not spell out is still read.
          if (value.length >= 2 && (value[0] === "." || value[0] === ",") && isDigitAt(value, 1)) {
            if (chunks[ci + 1]?.kind === "frac") break;
            let n = 2;
            while (n < value.length && isDigitAt(value, n)) n++;
            nsec = nanosOf(value, n)[0];
            value = value.slice(n);
          }
          break;
        }
        case "PM":
        case "pm": {
          const p = value.slice(0, 2);
          if (value.length < 2) bad = true;
          else if (p === (c.code === "PM" ? "PM" : "pm")) pmSet = true;
          else if (p === (c.code === "PM" ? "AM" : "am")) amSet = true;
          else bad = true;
          if (!bad) value = value.slice(2);
          break;
        }
        case "MST": {
          if (value.startsWith("UTC")) {
            utc = true;
            value = value.slice(3);
            break;
          }
          const n = zoneAbbrevLength(value);
          if (n === 0) bad = true;
          else [zoneName, value] = [value.slice(0, n), value.slice(n)];
          break;
        }
        default: {
          // Numeric zones: -0700, -07:00, -07, -070000, -07:00:00 and their Z forms.
          const body = c.code.slice(1);
          if (c.code.startsWith("Z") && value[0] === "Z") {
            utc = true;
            value = value.slice(1);
            break;
          }
          const [len, starts] = ZONE_WIDTHS[body] ?? [5, [1, 3]];
          if (
            value.length < len ||
            (body.includes(":") && (value[3] !== ":" || (len === 9 && value[6] !== ":")))
          ) {
            bad = true;
            break;
          }
          const parts = starts.map((s) => value.slice(s, s + 2));
          if (!parts.every((p) => /^\d\d$/.test(p))) {
            bad = true;
            break;
          }
          const [h = 0, m = 0, s = 0] = parts.map(Number);
          const off = (h * 60 + m) * 60 + s;
          if (value[0] === "+") zoneOffset = off;
          else if (value[0] === "-") zoneOffset = -off;
          else bad = true;
          value = value.slice(len);
        }
      }
    }
    if (rangeErr !== "") {
      throw new LayoutParseError(original, layout, value, c.text, `: ${rangeErr} out of range`);
    }
    if (bad) throw new LayoutParseError(original, layout, hold, c.text);
  }
  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;
  if (yday >= 0) {
    if (yday < 1 || yday > (isLeap(year) ? 366 : 365)) {
      throw new LayoutParseError(original, layout, "", value, ": day-of-year out of range");
    }
    let m = 1;
    let d = yday;
    while (d > daysIn(m, year)) d -= daysIn(m++, year);
    if ((month >= 0 && month !== m) || (day >= 0 && day !== d)) {
      throw new LayoutParseError(original, layout, "", value, ": day-of-year does not match month");
    }
    month = m;
    day = d;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > daysIn(month, year)) {
    throw new LayoutParseError(original, layout, "", value, ": day out of range");
  }
  const wall = daysFromCivil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec;
  if (utc) return { unixSeconds: wall, nanos: nsec, offset: 0, zone: "UTC" };
  if (zoneOffset !== undefined) {
    // Local is UTC: a zero offset is shown as UTC, any other as an unnamed fixed zone.
    if (zoneOffset === 0 && (zoneName === "" || zoneName === "UTC")) {
      return { unixSeconds: wall, nanos: nsec, offset: 0, zone: "UTC" };
    }
    return { unixSeconds: wall - zoneOffset, nanos: nsec, offset: zoneOffset, zone: zoneName };
  }
  if (zoneName !== "") {
    let offset = 0;
    if (zoneName.length > 3 && zoneName.startsWith("GMT"))
      offset = Number.parseInt(zoneName.slice(3), 10) * 3600;
    // Go keeps the wall clock as UTC and only labels it with the unknown zone.
    return { unixSeconds: wall, nanos: nsec, offset, zone: zoneName };
  }
  return { unixSeconds: wall, nanos: nsec, offset: undefined, zone: "UTC" };
}
