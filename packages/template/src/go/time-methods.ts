/** Go's time.Time methods for templates (`.Unix`, `.Format`, `.UTC`, …) and time.Month/Weekday/Duration. */

import { goDurationString } from "@quiesce/core";
import { daysFromCivil } from "../sprig/civil.js";
import { LONG_DAYS, LONG_MONTHS } from "../sprig/go-layout.js";
import { GoTime } from "../sprig/go-time.js";
import { GoNamed, GoStruct } from "./typed.js";
import { goTypes, namedType, structType } from "./types.js";

/** A method call refused the way text/template refuses it (reported verbatim, no "error calling"). */
export class MethodCallError extends Error {}

const NANOS = 1_000_000_000n;
/** Seconds from Go's zero time (January 1, year 1) to the Unix epoch. */
const ZERO_TO_UNIX = 62_135_596_800n;
const INT64_MAX = 9_223_372_036_854_775_807n;
const INT64_MIN = -9_223_372_036_854_775_808n;

/** A Go int64 as a template value: a number when exact, else a bigint. */
function int64Value(n: bigint): number | bigint {
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

/** Go's `time.Month`: an int that prints as its English name. */
export const MonthType = namedType("time.Month", goTypes.int, {
  stringer: (m) => {
    const n = Number((m as GoNamed).value);
    return n >= 1 && n <= 12 ? LONG_MONTHS[n - 1]! : `%!Month(${n})`;
  },
});

/** Go's `time.Weekday`: an int that prints as its English name. */
export const WeekdayType = namedType("time.Weekday", goTypes.int, {
  stringer: (d) => {
    const n = Number((d as GoNamed).value);
    return n >= 0 && n <= 6 ? LONG_DAYS[n]! : `%!Weekday(${n})`;
  },
});

function durationNanos(v: unknown, method: string): bigint {
  const x = v instanceof GoNamed ? v.value : v;
  if (typeof x === "number" && Number.isInteger(x)) return BigInt(x);
  if (typeof x === "bigint") return x;
  throw new MethodCallError(
    `wrong type for value; expected time.Duration; got ${typeof x === "number" ? "float64" : typeof x} (in ${method})`,
  );
}

/** Go's `time.Duration`: int64 nanoseconds that print as `1h2m3s`. */
export const DurationType = namedType("time.Duration", goTypes.int64, {
  stringer: (d) => goDurationString(durationNanos(d, "String")),
  methods: {
    Hours: (d) => Number(durationNanos(d, "Hours")) / 3.6e12,
    Minutes: (d) => Number(durationNanos(d, "Minutes")) / 6e10,
    Seconds: (d) => Number(durationNanos(d, "Seconds")) / 1e9,
    Milliseconds: (d) => int64Value(durationNanos(d, "Milliseconds") / 1_000_000n),
    Microseconds: (d) => int64Value(durationNanos(d, "Microseconds") / 1000n),
    Nanoseconds: (d) => int64Value(durationNanos(d, "Nanoseconds")),
  },
});

function duration(ns: bigint): GoNamed {
  const clamped = ns > INT64_MAX ? INT64_MAX : ns < INT64_MIN ? INT64_MIN : ns;
  return new GoNamed(DurationType, int64Value(clamped));
}

/** Go's `*time.Location`: prints its name (its fields are unexported). */
const LocationType = structType(
  "time.Location",
  { name: goTypes.string },
  { stringer: (l) => String((l as GoStruct).get("name")) },
);

function arity(name: string, want: number, args: unknown[]): void {
  if (args.length !== want)
    throw new MethodCallError(`wrong number of args for ${name}: want ${want} got ${args.length}`);
}

function timeArg(v: unknown, name: string): GoTime {
  if (v instanceof GoTime) return v;
  const got = v === null || v === undefined ? "nil" : typeof v === "string" ? "string" : "a non-time value";
  throw new MethodCallError(`wrong type for value; expected time.Time; got ${got} (in ${name})`);
}

function intArg(v: unknown, name: string): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  throw new MethodCallError(`wrong type for value; expected int; got ${typeof v} (in ${name})`);
}

function fromAbsolute(absNanos: bigint, t: GoTime): GoTime {
  return new GoTime(0, 0, t.offset, t.zone).addNanos(absNanos - ZERO_TO_UNIX * NANOS);
}

/** Go's Time.Truncate / Round: multiples of d since the zero time. */
function roundTo(t: GoTime, d: bigint, round: boolean): GoTime {
  if (d <= 0n) return t;
  const abs = t.unixNanos + ZERO_TO_UNIX * NANOS;
  const r = abs % d;
  if (round && r + r >= d) return fromAbsolute(abs - r + d, t);
  return fromAbsolute(abs - r, t);
}

function addDate(t: GoTime, years: number, months: number, days: number): GoTime {
  const c = t.civil();
  const totalMonths = (c.year + years) * 12 + (c.month - 1) + months;
  const year = Math.floor(totalMonths / 12);
  const month = totalMonths - year * 12 + 1;
  const day = daysFromCivil(year, month, 1) + c.day - 1 + days;
  const local = day * 86400 + c.hour * 3600 + c.minute * 60 + c.second;
  return new GoTime(local - t.offset, t.nanos, t.offset, t.zone);
}

type Impl = (t: GoTime, args: unknown[]) => unknown;

function m0(f: (t: GoTime) => unknown): Impl {
  return (t) => f(t);
}

const MULTI_RESULT: Readonly<Record<string, number>> = {
  Date: 3,
  Clock: 3,
  ISOWeek: 2,
  Zone: 2,
  ZoneBounds: 2,
};

const TIME_METHODS: Readonly<Record<string, { n: number; f: Impl }>> = {
  String: { n: 0, f: m0((t) => t.goString()) },
  Format: {
    n: 1,
    f: (t, [layout]) => {
      if (typeof layout !== "string")
        throw new MethodCallError("wrong type for value; expected string (in Format)");
      return t.format(layout);
    },
  },
  Unix: { n: 0, f: m0((t) => t.unixSeconds) },
  UnixMilli: { n: 0, f: m0((t) => int64Value(t.unixNanos / 1_000_000n)) },
  UnixMicro: { n: 0, f: m0((t) => int64Value(t.unixNanos / 1000n)) },
  UnixNano: { n: 0, f: m0((t) => int64Value(t.unixNanos)) },
  UTC: { n: 0, f: m0((t) => t.withZone(0, "UTC")) },
  // The engine's local zone is UTC.
  Local: { n: 0, f: m0((t) => t.withZone(0, "UTC")) },
  Year: { n: 0, f: m0((t) => t.civil().year) },
  Month: { n: 0, f: m0((t) => new GoNamed(MonthType, t.civil().month)) },
  Day: { n: 0, f: m0((t) => t.civil().day) },
  Hour: { n: 0, f: m0((t) => t.civil().hour) },
  Minute: { n: 0, f: m0((t) => t.civil().minute) },
  Second: { n: 0, f: m0((t) => t.civil().second) },
  Nanosecond: { n: 0, f: m0((t) => t.nanos) },
  YearDay: { n: 0, f: m0((t) => t.civil().yearDay) },
  Weekday: { n: 0, f: m0((t) => new GoNamed(WeekdayType, t.civil().weekday)) },
  IsZero: { n: 0, f: m0((t) => t.unixNanos === -ZERO_TO_UNIX * NANOS) },
  Add: { n: 1, f: (t, [d]) => t.addNanos(durationNanos(d, "Add")) },
  AddDate: {
    n: 3,
    f: (t, [y, mo, d]) => addDate(t, intArg(y, "AddDate"), intArg(mo, "AddDate"), intArg(d, "AddDate")),
  },
  Sub: { n: 1, f: (t, [u]) => duration(t.unixNanos - timeArg(u, "Sub").unixNanos) },
  Before: { n: 1, f: (t, [u]) => t.unixNanos < timeArg(u, "Before").unixNanos },
  After: { n: 1, f: (t, [u]) => t.unixNanos > timeArg(u, "After").unixNanos },
  Equal: { n: 1, f: (t, [u]) => t.unixNanos === timeArg(u, "Equal").unixNanos },
  Compare: {
    n: 1,
    f: (t, [u]) => {
      const a = t.unixNanos;
      const b = timeArg(u, "Compare").unixNanos;
      return a < b ? -1 : a > b ? 1 : 0;
    },
  },
  Truncate: { n: 1, f: (t, [d]) => roundTo(t, durationNanos(d, "Truncate"), false) },
  Round: { n: 1, f: (t, [d]) => roundTo(t, durationNanos(d, "Round"), true) },
  Location: { n: 0, f: m0((t) => locationOf(t)) },
  MarshalJSON: {
    n: 0,
    f: m0((t) => new TextEncoder().encode(`"${t.format("2006-01-02T15:04:05.999999999Z07:00")}"`)),
  },
  MarshalText: {
    n: 0,
    f: m0((t) => new TextEncoder().encode(t.format("2006-01-02T15:04:05.999999999Z07:00"))),
  },
};

const UTC_LOCATION = new GoStruct(LocationType, ["UTC"], true);

function locationOf(t: GoTime): GoStruct {
  if (t.offset === 0 && t.zone === "UTC") return UTC_LOCATION;
  return new GoStruct(LocationType, [t.zone], true);
}

/**
 * The Go method `name` of a time bound to it, or undefined. Methods with several results are
 * refused as text/template refuses them.
 */
export function timeMethod(t: GoTime, name: string): ((...args: unknown[]) => unknown) | undefined {
  // Own names only: the tables' inherited members (`constructor`, `toString`) are not methods.
  const results = Object.hasOwn(MULTI_RESULT, name) ? MULTI_RESULT[name] : undefined;
  if (results !== undefined) {
    return () => {
      throw new MethodCallError(`can't call method/function "${name}" with ${results} results`);
    };
  }
  const m = Object.hasOwn(TIME_METHODS, name) ? TIME_METHODS[name] : undefined;
  if (m === undefined) return undefined;
  return (...args) => {
    arity(name, m.n, args);
    return m.f(t, args);
  };
}
