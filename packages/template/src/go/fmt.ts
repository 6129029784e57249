/** Go's fmt printing (%v, Sprint, Sprintln, Sprintf) over plain JS template values. */
import { PLAIN, printOperand } from "./print.js";
import { isGoInt } from "./values.js";

/**
 * Go's `%v` of a template value: lists `[a b]`, maps `map[a:1 b:2]`, bytes `[104 105]`, nil `<nil>`.
 *
 * @example
 * ```ts
 * formatValue({ b: 2, a: [1, "x"] }); // "map[a:[1 x] b:2]"
 * formatValue(1e-7); // "1e-07"
 * ```
 */
export function formatValue(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" && isGoInt(v) && Number.isSafeInteger(v)) return String(v);
  return printOperand(v, "v", PLAIN, 0);
}

/**
 * Go's `fmt.Sprint`: operands printed with %v, a space between two operands when neither is a string.
 *
 * @example
 * ```ts
 * sprint("a", 1, 2, "b"); // "a1 2b"
 * ```
 */
export function sprint(...args: unknown[]): string {
  let out = "";
  let prevString = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const isString = typeof a === "string";
    if (i > 0 && !isString && !prevString) out += " ";
    out += formatValue(a);
    prevString = isString;
  }
  return out;
}

/**
 * Go's `fmt.Sprintln`: operands with %v separated by spaces, then a newline.
 *
 * @example
 * ```ts
 * sprintln("a", 1); // "a 1\n"
 * ```
 */
export function sprintln(...args: unknown[]): string {
  return `${args.map(formatValue).join(" ")}\n`;
}

export { sprintf } from "./sprintf.js";
