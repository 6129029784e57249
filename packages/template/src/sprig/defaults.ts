/** sprig's defaults and JSON family: default, empty, coalesce, all, any, ternary, toJson…, fail, type checks. */

import { chargeWork } from "../budget.js";
import type { FuncMap } from "../functions.js";
import { GoFuncError } from "../go/call-error.js";
import { goTypeOf } from "../go/typed.js";
import { goTypeName, kindOf } from "../go/values.js";
import { argBool, argString, reflectKind } from "./args.js";
import { deepEqual, isEmpty } from "./equality.js";
import { JsonMarshalError, marshalJson, unmarshalJson } from "./json.js";

const COMPACT = { escapeHtml: true, indent: "" } as const;
const PRETTY = { escapeHtml: true, indent: "  " } as const;
const RAW = { escapeHtml: false, indent: "" } as const;

/** Go's json.Unmarshal error texts for the usual mistakes. */
function jsonSyntaxMessage(text: string, e: unknown): string {
  if (text.trim() === "") return "unexpected end of JSON input";
  const m = /Unexpected token '?(.)'?/.exec(e instanceof Error ? e.message : "");
  if (m !== null) return `invalid character '${m[1]}' looking for beginning of value`;
  return "unexpected end of JSON input";
}

/** Work bytes per byte of JSON decoded: each may open a value the decoder builds. */
const DECODE_COST = 8;

function fromJson(v: unknown, must: boolean): unknown {
  const text = argString(v);
  chargeWork(DECODE_COST * text.length);
  try {
    return unmarshalJson(text);
  } catch (e) {
    if (!must) return null;
    throw new GoFuncError(jsonSyntaxMessage(text, e), { cause: e });
  }
}

function toJsonWith(opts: typeof COMPACT | typeof PRETTY | typeof RAW, onError: "empty" | "throw") {
  return (v: unknown) => {
    try {
      return marshalJson(v, opts);
    } catch (e) {
      if (e instanceof JsonMarshalError && onError === "empty") return "";
      if (e instanceof JsonMarshalError) throw new GoFuncError(e.message, { cause: e });
      throw e;
    }
  };
}

/** `%T` of a value, including the non-data types sprig returns. */
function typeOf(v: unknown): string {
  const typed = goTypeOf(v);
  if (typed !== undefined) return typed.name;
  if (kindOf(v) === "other" && typeof v === "object" && v !== null && "goString" in v)
    return "*semver.Version";
  if (typeof v === "number" && kindOf(v) === "int") return "int64";
  return goTypeName(v);
}

function kindName(v: unknown): string {
  if (goTypeOf(v) !== undefined) return reflectKind(v);
  if (kindOf(v) === "other" && typeof v === "object" && v !== null) return "ptr";
  return reflectKind(v);
}

/** The defaults, JSON and reflection family of sprig's function map. */
export const defaultFunctions: FuncMap = {
  default: (d, ...given) => (given.length === 0 || isEmpty(given[0]) ? d : given[0]),
  empty: (v) => isEmpty(v),
  coalesce: (...v) => v.find((x) => !isEmpty(x)) ?? null,
  all: (...v) => v.every((x) => !isEmpty(x)),
  any: (...v) => v.some((x) => !isEmpty(x)),
  ternary: (vt, vf, v) => (argBool(v) ? vt : vf),
  fromJson: (v) => fromJson(v, false),
  mustFromJson: (v) => fromJson(v, true),
  toJson: toJsonWith(COMPACT, "empty"),
  mustToJson: toJsonWith(COMPACT, "throw"),
  toPrettyJson: toJsonWith(PRETTY, "empty"),
  mustToPrettyJson: toJsonWith(PRETTY, "throw"),
  toRawJson: toJsonWith(RAW, "throw"),
  mustToRawJson: toJsonWith(RAW, "throw"),
  fail: (msg) => {
    throw new GoFuncError(argString(msg));
  },
  typeOf,
  typeIs: (target, v) => argString(target) === typeOf(v),
  typeIsLike: (target, v) => {
    const t = argString(target);
    const actual = typeOf(v);
    return t === actual || `*${t}` === actual;
  },
  kindOf: kindName,
  kindIs: (target, v) => argString(target) === kindName(v),
  deepEqual: (a, b) => deepEqual(a, b),
};
