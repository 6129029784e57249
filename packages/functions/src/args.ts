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

// Go's strconv.ParseBool, plus "" (weak decoding maps an empty string to false).
const TRUE = new Set(["1", "t", "T", "true", "TRUE", "True"]);
const FALSE = new Set(["0", "f", "F", "false", "FALSE", "False", ""]);

/** A boolean that may be written as a string (`"false"`, `"1"`) or a number, as Go's ParseBool reads it. */
export function looseBool() {
  return z.preprocess((v) => {
    if (typeof v === "string") {
      const s = v.trim();
      if (TRUE.has(s)) return true;
      if (FALSE.has(s)) return false;
    }
    if (typeof v === "number") return v !== 0;
    return v;
  }, z.boolean());
}

/** A string; numbers and booleans are turned into their text, as weak decoding does. */
export function looseString() {
  return z.preprocess((v) => (typeof v === "number" || typeof v === "boolean" ? String(v) : v), z.string());
}

/** A list of strings (an argv); a single string becomes a one-element list, scalars become text. */
export function stringList() {
  return z.preprocess((v) => (typeof v === "string" ? [v] : v), z.array(looseString()));
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

/** Pod names as Kanister's KubeExecAll takes them: a space-separated string, or a list. */
export function nameList() {
  return z.preprocess(
    (v) => {
      if (typeof v === "string") return v.split(/\s+/).filter((s) => s !== "");
      return v;
    },
    z.array(z.string().min(1)),
  );
}
