/** Go's reference-time layouts ("2006-01-02T15:04:05Z07:00"): formatting and parsing. */

import type { CivilTime } from "./civil.js";

const LONG_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const LONG_MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

type Std =
  | { kind: "lit"; text: string }
  | { kind: "std"; code: string; text: string }
  | { kind: "frac"; zeros: boolean; digits: number; sep: string; text: string };

const STD0X = ["01", "02", "03", "04", "05", "06"];

function startsWithLower(s: string): boolean {
  const c = s.charCodeAt(0);
  return c >= 97 && c <= 122;
}

function isDigitAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** Splits a layout into literal text and Go's std chunks, as time.nextStdChunk does. */
function chunks(layout: string): Std[] {
  const out: Std[] = [];
  let lit = "";
  let i = 0;
  const push = (s: Std, len: number) => {
    if (lit !== "") out.push({ kind: "lit", text: lit });
    lit = "";
    out.push(s);
    i += len;
  };
  const std = (code: string, len: number) => push({ kind: "std", code, text: layout.slice(i, i + len) }, len);
  while (i < layout.length) {
    const rest = layout.slice(i);
    const c = layout[i];
    if (c === "J" && rest.startsWith("Jan")) {
      if (rest.startsWith("January")) {
        std("January", 7);
        continue;
      }
      if (!startsWithLower(rest.slice(3))) {
        std("Jan", 3);
        continue;
      }
    } else if (c === "M" && rest.length >= 3) {
      if (rest.startsWith("Mon")) {
        if (rest.startsWith("Monday")) {
          std("Monday", 6);
          continue;
        }
        if (!startsWithLower(rest.slice(3))) {
          std("Mon", 3);
          continue;
        }
      }
      if (rest.startsWith("MST")) {
        std("MST", 3);
        continue;
      }
    } else if (c === "0") {
      const n = rest.charCodeAt(1);
      if (n >= 49 && n <= 54) {
        std(STD0X[n - 49] ?? "01", 2);
        continue;
      }
      if (rest.startsWith("002")) {
        std("002", 3);
        continue;
      }
    } else if (c === "1") {
      if (rest.startsWith("15")) std("15", 2);
      else std("1", 1);
      continue;
    } else if (c === "2") {
      if (rest.startsWith("2006")) std("2006", 4);
      else std("2", 1);
      continue;
    } else if (c === "_") {
      if (rest[1] === "2") {
        if (rest.startsWith("_2006")) {
          lit += "_";
          i++;
          std("2006", 4);
          continue;
        }
        std("_2", 2);
        continue;
      }
      if (rest.startsWith("__2")) {
        std("__2", 3);
        continue;
      }
    } else if (c === "3" || c === "4" || c === "5") {
      std(c, 1);
      continue;
    } else if (c === "P" && rest[1] === "M") {
      std("PM", 2);
      continue;
    } else if (c === "p" && rest[1] === "m") {
      std("pm", 2);
      continue;
    } else if (c === "-" || c === "Z") {
      const found = ["070000", "07:00:00", "0700", "07:00", "07"].find((z) => rest.startsWith(c + z));
      if (found !== undefined) {
        std(c + found, found.length + 1);
        continue;
      }
    } else if ((c === "." || c === ",") && (rest[1] === "0" || rest[1] === "9")) {
      const ch = rest[1];
      let j = 1;
      while (rest[j] === ch) j++;
      if (!isDigitAt(rest, j)) {
        push({ kind: "frac", zeros: ch === "0", digits: j - 1, sep: c, text: rest.slice(0, j) }, j);
        continue;
      }
    }
    lit += c;
    i++;
  }
  if (lit !== "") out.push({ kind: "lit", text: lit });
  return out;
}

const cache = new Map<string, Std[]>();
/** The std chunks of a layout, cached. */
function layoutChunks(layout: string): Std[] {
  let c = cache.get(layout);
  if (c === undefined) {
    c = chunks(layout);
    if (cache.size > 256) cache.clear();
    cache.set(layout, c);
  }
  return c;
}

function pad(n: number, width: number, ch = "0"): string {
  const s = String(Math.abs(n));
  return (n < 0 ? "-" : "") + (s.length >= width ? s : ch.repeat(width - s.length) + s);
}

function formatZone(code: string, offset: number): string {
  if (code.startsWith("Z") && offset === 0) return "Z";
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  const hh = pad(Math.floor(abs / 3600), 2);
  const mm = pad(Math.floor((abs % 3600) / 60), 2);
  const ss = pad(abs % 60, 2);
  const body = code.slice(1);
  switch (body) {
    case "070000":
      return sign + hh + mm + ss;
    case "07:00:00":
      return `${sign}${hh}:${mm}:${ss}`;
    case "0700":
      return sign + hh + mm;
    case "07:00":
      return `${sign}${hh}:${mm}`;
    default:
      return sign + hh;
  }
}

/**
 * Formats wall-clock fields with a Go layout, as `time.Time.Format`.
 *
 * @example
 * ```ts
 * formatLayout(civil, 0, "UTC", "2006-01-02"); // "2024-03-05"
 * ```
 */
export function formatLayout(t: CivilTime, offset: number, zone: string, layout: string): string {
  let out = "";
  for (const c of layoutChunks(layout)) {
    if (c.kind === "lit") {
      out += c.text;
      continue;
    }
    if (c.kind === "frac") {
      let digits = pad(t.nanosecond, 9).slice(0, c.digits);
      if (!c.zeros) {
        digits = pad(t.nanosecond, 9).replace(/0+$/, "").slice(0, c.digits);
        if (digits === "") continue;
      }
      out += c.sep + digits;
      continue;
    }
    out += formatStd(c.code, t, offset, zone);
  }
  return out;
}

function formatStd(code: string, t: CivilTime, offset: number, zone: string): string {
  const h12 = t.hour % 12 === 0 ? 12 : t.hour % 12;
  switch (code) {
    case "January":
      return LONG_MONTHS[t.month - 1] ?? "";
    case "Jan":
      return (LONG_MONTHS[t.month - 1] ?? "").slice(0, 3);
    case "Monday":
      return LONG_DAYS[t.weekday] ?? "";
    case "Mon":
      return (LONG_DAYS[t.weekday] ?? "").slice(0, 3);
    case "MST":
      return zone !== "" ? zone : formatZone("-0700", offset);
    case "01":
      return pad(t.month, 2);
    case "02":
      return pad(t.day, 2);
    case "03":
      return pad(h12, 2);
    case "04":
      return pad(t.minute, 2);
    case "05":
      return pad(t.second, 2);
    case "06":
      return pad(((t.year % 100) + 100) % 100, 2);
    case "002":
      return pad(t.yearDay, 3);
    case "__2":
      return pad(t.yearDay, 3, " ");
    case "15":
      return pad(t.hour, 2);
    case "1":
      return String(t.month);
    case "2006":
      return t.year >= 0 ? pad(t.year, 4) : `-${pad(-t.year, 4)}`;
    case "2":
      return String(t.day);
    case "_2":
      return pad(t.day, 2, " ");
    case "3":
      return String(h12);
    case "4":
      return String(t.minute);
    case "5":
      return String(t.second);
    case "PM":
      return t.hour >= 12 ? "PM" : "AM";
    case "pm":
      return t.hour >= 12 ? "pm" : "am";
    default:
      return formatZone(code, offset);
  }
}

export type { Std };
export { isDigitAt, LONG_DAYS, LONG_MONTHS, layoutChunks };
