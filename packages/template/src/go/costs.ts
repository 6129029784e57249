/**
 * How a function call is charged to the render's work budget, decided once per call site at compile
 * time. By default a call pays for what it reads and what it builds; functions that only pick from
 * their arguments pay a flat step, so `index`, `default` or `first` on a large value stay cheap.
 */
import { valueSize } from "../budget.js";

/** The charging rule of a call. */
export const Cost = Object.freeze({
  /** 1, plus the strings, bytes and lists of its arguments, plus the value it returns (the default). */
  Scan: 0,
  /** 1: it returns one of its arguments or a small value, in constant time. */
  Free: 1,
  /** 1, plus the value it returns (its arguments' size is bounded by the template's source). */
  Result: 2,
  /** 1, plus its string and byte arguments (lists and maps are indexed in constant time), plus its result. */
  Strings: 3,
} as const);
/** One of {@link Cost}'s rules. */
export type Cost = (typeof Cost)[keyof typeof Cost];

const FREE = [
  "not",
  "default",
  "empty",
  "coalesce",
  "ternary",
  "first",
  "last",
  "mustFirst",
  "mustLast",
  "typeOf",
  "typeIs",
  "typeIsLike",
  "kindOf",
  "kindIs",
  "hasKey",
  "get",
  "set",
  "unset",
  "dig",
  "dict",
  "pick",
];
const RESULT = [
  "list",
  "tuple",
  "append",
  "push",
  "mustAppend",
  "mustPush",
  "prepend",
  "mustPrepend",
  "concat",
  "rest",
  "mustRest",
  "initial",
  "mustInitial",
  "chunk",
  "mustChunk",
  "until",
  "untilStep",
  "seq",
  "keys",
  "values",
  "pluck",
];
const STRINGS = ["index", "len", "slice", "eq", "ne", "lt", "le", "gt", "ge"];

const RULES = new Map<string, Cost>([
  ...FREE.map((n) => [n, Cost.Free] as const),
  ...RESULT.map((n) => [n, Cost.Result] as const),
  ...STRINGS.map((n) => [n, Cost.Strings] as const),
]);

/**
 * The rule of the function `name`; a host's own function (`host`) — which may do anything — pays
 * for everything it reads and builds.
 */
export function costOf(name: string, host: boolean): Cost {
  return host ? Cost.Scan : (RULES.get(name) ?? Cost.Scan);
}

/** What a call read: its string, byte and (unless `stringsOnly`) list arguments. */
export function argumentsSize(values: readonly unknown[], stringsOnly: boolean): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === "string") n += v.length;
    else if (typeof v === "object" && v !== null && (!stringsOnly || v instanceof Uint8Array))
      n += valueSize(v);
  }
  return n;
}
