/**
 * zod helpers for Kanister's argument decoding: Kanister decodes arguments with mapstructure's
 * WeakDecode, so `"3"` is an int, `"false"` a bool and `3` a string. These helpers accept the same.
 */
import { parseDuration } from "@quiesce/core";
import { z } from "zod";

const INT = /^\s*[-+]?\d+\s*$/;

/** An integer that may be written as a numeric string (`replicas: "3"`). */
export function looseInt() {
  return z.preprocess(
    (v) => (typeof v === "string" && INT.test(v) ? Number.parseInt(v, 10) : v),
    z.number().int(),
  );
}

// Go's strconv.ParseBool; weak decoding also maps an empty string to false.
const TRUE = new Set(["1", "t", "T", "true", "TRUE", "True"]);
const FALSE = new Set(["0", "f", "F", "false", "FALSE", "False", ""]);

/**
 * A boolean that may be written as a string (`"false"`, `"1"`, as Go's ParseBool reads it, without
 * trimming) or a number (non-zero is true), as mapstructure's WeakDecode reads it.
 */
export function looseBool() {
  return z.preprocess((v) => {
    if (typeof v === "string") {
      if (TRUE.has(v)) return true;
      if (FALSE.has(v)) return false;
    }
    if (typeof v === "number") return v !== 0;
    return v;
  }, z.boolean());
}

/**
 * An optional {@link looseBool} with a default that also applies to `null` (Kanister's `OptArg`:
 * a null value leaves the default in place).
 */
export function optionalBool(defaultValue: boolean) {
  return z.preprocess((v) => (v === null ? undefined : v), looseBool().optional().default(defaultValue));
}

/**
 * An optional argument for which `null` counts as absent: Kanister's `OptArg` of a present `null`
 * decodes nothing and leaves the Go zero value (a nil map, `false`), which for maps and booleans is
 * what an absent argument without a default gives too.
 */
export function nullAsAbsent<T extends z.ZodTypeAny>(schema: T) {
  return z.preprocess((v) => (v === null ? undefined : v), schema.optional());
}

/** Go's strconv.FormatFloat(f, 'f', -1, 64): the shortest exact digits, never an exponent. */
export function goFormatFloat(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? "+Inf" : n < 0 ? "-Inf" : "NaN";
  const text = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!m) return text;
  const [, sign, lead, frac = "", exp] = m as unknown as [string, string, string, string | undefined, string];
  const digits = lead + frac;
  const point = 1 + Number(exp);
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * A string as mapstructure's WeakDecode makes one (Kanister's `Arg`): a number becomes its text
 * (Go's FormatInt / FormatFloat 'f'), a boolean "1" or "0", `null` an empty string.
 */
export function looseString() {
  return z.preprocess((v) => {
    if (v === null) return "";
    if (typeof v === "number") return goFormatFloat(v);
    if (typeof v === "boolean") return v ? "1" : "0";
    return v;
  }, z.string());
}

/** An optional {@link looseString}; `null` counts as absent (Kanister's `OptArg` keeps the default). */
export function optionalString() {
  return z.preprocess((v) => (v === null ? undefined : v), looseString().optional());
}

/**
 * A list of strings (an argv) as WeakDecode makes one: a scalar is lifted into a one-element list,
 * items become text as {@link looseString} makes them, `null` is an empty list.
 */
export function stringList() {
  return z.preprocess((v) => {
    if (v === null) return [];
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return [v];
    return v;
  }, z.array(looseString()));
}

/** A Go duration string ("30s", "5m") parsed to milliseconds; a unit-less number is rejected. */
export function duration() {
  return z.string().transform((text, ctx) => {
    try {
      return parseDuration(text);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: (err as Error).message });
      return z.NEVER;
    }
  });
}

/** A string → string map (labels, annotations, volumes). */
export function stringMap() {
  return z.record(z.string(), looseString());
}

/** Kanister's podOverride: a partial pod spec merged into the generated one. */
export function podOverride() {
  return z.record(z.string(), z.unknown());
}

/**
 * Names as Kanister's KubeExecAll takes them (pkg/function/kube_exec_all.go): one string, decoded
 * as {@link looseString} decodes it and split on white space (Go's strings.Fields). A list is
 * refused, as Kanister's decoding of it into a string fails.
 */
export function nameList() {
  return looseString().transform((text) => text.split(/\s+/u).filter((s) => s !== ""));
}
