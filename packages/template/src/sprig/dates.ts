/** sprig's date functions on {@link GoTime}: now, date, dateInZone, toDate, dateModify, duration… */

import { DurationParseError, goDurationString, parseGoDuration } from "@quiesce/core";
import type { FuncMap } from "../functions.js";
import { GoFuncError } from "../go/call-error.js";
import { goTypeName, kindOf } from "../go/values.js";
import { argString, parseGoInt } from "./args.js";
import { LayoutParseError, parseLayout } from "./go-layout-parse.js";
import { GoTime } from "./go-time.js";
import { inZone } from "./zones.js";

function argTime(v: unknown): GoTime {
  if (v instanceof GoTime) return v;
  if (v === null || v === undefined) throw new GoFuncError("invalid value; expected time.Time");
  throw new GoFuncError(`wrong type for value; expected time.Time; got ${goTypeName(v)}`);
}

/** sprig's coercion of a date argument: a time, Unix seconds, or (anything else) now. */
function timeOf(v: unknown): GoTime {
  if (v instanceof GoTime) return v;
  if (typeof v === "number" && kindOf(v) === "int") return new GoTime(v, 0, 0, "UTC");
  if (typeof v === "bigint") return new GoTime(Number(v), 0, 0, "UTC");
  return GoTime.now();
}

function dateInZone(layout: unknown, date: unknown, zone: unknown): string {
  const t = timeOf(date);
  const shown = inZone(t, argString(zone)) ?? t.withZone(0, "UTC");
  return shown.format(argString(layout));
}

// Blueprints parse the same .Time with the same layout in many arguments; times are immutable,
// so recent parses are shared — failures too: sprig's toDate ignores the error, and building it
// (an Error, with its stack) on every render costs more than the parse. Keyed by layout, then
// value: both are usually the same string objects render after render, whose hashes are kept (a
// key glued from the two would be hashed anew on every call).
const parsed = new Map<string, Map<string, GoTime | LayoutParseError>>();
let parsedCount = 0;

function toDate(layout: string, value: string): GoTime | LayoutParseError {
  const hit = parsed.get(layout)?.get(value);
  if (hit !== undefined) return hit;
  let t: GoTime | LayoutParseError;
  try {
    const p = parseLayout(layout, value);
    t = new GoTime(p.unixSeconds, p.nanos, p.offset ?? 0, p.zone);
  } catch (e) {
    if (!(e instanceof LayoutParseError)) throw e;
    t = e;
  }
  if (parsedCount >= 256) {
    parsed.clear();
    parsedCount = 0;
  }
  let byValue = parsed.get(layout);
  if (byValue === undefined) {
    byValue = new Map();
    parsed.set(layout, byValue);
  }
  byValue.set(value, t);
  parsedCount++;
  return t;
}

function since(t: GoTime): bigint {
  return GoTime.now().unixNanos - t.unixNanos;
}

/** Duration.Round(time.Second), halves away from zero. */
function roundToSecond(d: bigint): bigint {
  const s = 1_000_000_000n;
  const r = ((d % s) + s) % s;
  if (d < 0n) {
    const neg = -d;
    const rr = neg % s;
    return -(rr + rr < s ? neg - rr : neg + s - rr);
  }
  return r + r < s ? d - r : d + s - r;
}

function durationRound(v: unknown): string {
  let d = 0n;
  if (typeof v === "string") {
    try {
      d = parseGoDuration(v);
    } catch {
      d = 0n;
    }
  } else if (typeof v === "number" && kindOf(v) === "int") d = BigInt(v);
  else if (v instanceof GoTime) d = since(v);
  const u = d < 0n ? -d : d;
  const second = 1_000_000_000n;
  const steps: [bigint, string][] = [
    [second * 86400n * 365n, "y"],
    [second * 86400n * 30n, "mo"],
    [second * 86400n, "d"],
    [second * 3600n, "h"],
    [second * 60n, "m"],
    [second, "s"],
  ];
  for (const [size, unit] of steps) if (u > size) return `${u / size}${unit}`;
  return "0s";
}

const dateFunctionsBase = {
  now: () => GoTime.now(),
  date: (layout, date) => dateInZone(layout, date, "Local"),
  dateInZone,
  date_in_zone: dateInZone,
  htmlDate: (date) => dateInZone("2006-01-02", date, "Local"),
  htmlDateInZone: (date, zone) => dateInZone("2006-01-02", date, zone),
  toDate: (layout, value) => {
    const t = toDate(argString(layout), argString(value));
    return t instanceof GoTime ? t : GoTime.zero();
  },
  mustToDate: (layout, value) => {
    const t = toDate(argString(layout), argString(value));
    if (t instanceof GoTime) return t;
    throw new GoFuncError(t.message, { cause: t });
  },
  dateModify: (spec, date) => {
    const s = argString(spec);
    const t = argTime(date);
    try {
      return t.addNanos(parseGoDuration(s));
    } catch (e) {
      if (e instanceof DurationParseError) return t;
      throw e;
    }
  },
  mustDateModify: (spec, date) => {
    const s = argString(spec);
    const t = argTime(date);
    try {
      return t.addNanos(parseGoDuration(s));
    } catch (e) {
      if (e instanceof DurationParseError) throw new GoFuncError(e.message, { cause: e });
      throw e;
    }
  },
  unixEpoch: (date) => String(argTime(date).unixSeconds),
  duration: (sec) => {
    let n = 0;
    if (typeof sec === "string")
      n = /^[+-]?\d+$/.test(sec) ? (parseGoInt(sec.replace(/^([+-]?)0+(?=\d)/, "$1")) ?? 0) : 0;
    else if (typeof sec === "number" && kindOf(sec) === "int") n = sec;
    return goDurationString(BigInt(n) * 1_000_000_000n);
  },
  durationRound,
  ago: (date) => {
    let t: GoTime;
    if (date instanceof GoTime) t = date;
    else if (typeof date === "number" && kindOf(date) === "int") t = new GoTime(date, 0, 0, "UTC");
    else t = GoTime.now();
    return goDurationString(roundToSecond(since(t)));
  },
} satisfies FuncMap;

/** The date family of sprig's function map. */
export const dateFunctions: FuncMap = {
  ...dateFunctionsBase,
  date_modify: dateFunctionsBase.dateModify,
  must_date_modify: dateFunctionsBase.mustDateModify,
};
