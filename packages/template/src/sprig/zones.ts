/** Time zones for dateInZone: IANA names through Intl, with Go's zone abbreviations. */

import type { GoTime } from "./go-time.js";

/** tzdata abbreviations for zones whose Intl short name is only a GMT offset. */
const LONG_NAME_ABBREVIATIONS: Readonly<Record<string, string>> = {
  "Central European Standard Time": "CET",
  "Central European Summer Time": "CEST",
  "Eastern European Standard Time": "EET",
  "Eastern European Summer Time": "EEST",
  "Western European Standard Time": "WET",
  "Western European Summer Time": "WEST",
  "British Summer Time": "BST",
  "Irish Standard Time": "IST",
  "Greenwich Mean Time": "GMT",
  "Coordinated Universal Time": "UTC",
  "India Standard Time": "IST",
  "Japan Standard Time": "JST",
  "Korean Standard Time": "KST",
  "China Standard Time": "CST",
  "Hong Kong Standard Time": "HKT",
  "Israel Standard Time": "IST",
  "Israel Daylight Time": "IDT",
  "Moscow Standard Time": "MSK",
  "South Africa Standard Time": "SAST",
  "Australian Eastern Standard Time": "AEST",
  "Australian Eastern Daylight Time": "AEDT",
  "Australian Central Standard Time": "ACST",
  "Australian Central Daylight Time": "ACDT",
  "Australian Western Standard Time": "AWST",
  "New Zealand Standard Time": "NZST",
  "New Zealand Daylight Time": "NZDT",
};

const formatters = new Map<
  string,
  { offset: Intl.DateTimeFormat; short: Intl.DateTimeFormat; long: Intl.DateTimeFormat }
>();

function formattersFor(zone: string) {
  let f = formatters.get(zone);
  if (f === undefined) {
    const make = (timeZoneName: "longOffset" | "short" | "long") =>
      new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName });
    f = { offset: make("longOffset"), short: make("short"), long: make("long") };
    if (formatters.size > 64) formatters.clear();
    formatters.set(zone, f);
  }
  return f;
}

function zonePart(fmt: Intl.DateTimeFormat, ms: number): string {
  return fmt.formatToParts(ms).find((p) => p.type === "timeZoneName")?.value ?? "";
}

function numericAbbrev(offset: number): string {
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 3600)).padStart(2, "0");
  const mm = Math.floor((abs % 3600) / 60);
  return sign + hh + (mm === 0 ? "" : String(mm).padStart(2, "0"));
}

/**
 * Shows `t` in the named zone as Go's `time.LoadLocation(zone)` + `t.In(loc)`; "", "UTC" and
 * "Local" are UTC (the engine's local zone); an unknown zone yields `undefined`.
 *
 * @example
 * ```ts
 * inZone(t, "America/New_York")?.zone; // "EST"
 * ```
 */
export function inZone(t: GoTime, zone: string): GoTime | undefined {
  if (zone === "" || zone === "UTC" || zone === "Local") return t.withZone(0, "UTC");
  let f: ReturnType<typeof formattersFor>;
  try {
    f = formattersFor(zone);
  } catch {
    return undefined;
  }
  const ms = t.unixSeconds * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return t.withZone(0, "UTC");
  const off = zonePart(f.offset, ms);
  const m = /^GMT(?:([+-])(\d\d):(\d\d)(?::(\d\d))?)?$/.exec(off);
  const offset =
    m?.[1] === undefined
      ? 0
      : (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0));
  let abbr = zonePart(f.short, ms);
  if (!/^[A-Z]{2,5}$/.test(abbr))
    abbr = LONG_NAME_ABBREVIATIONS[zonePart(f.long, ms)] ?? numericAbbrev(offset);
  if (zone === "Etc/UTC" || zone === "UCT" || zone === "Etc/UCT" || zone === "Zulu") abbr = "UTC";
  return t.withZone(offset, abbr);
}
