/**
 * huandu/xstrings v1.2.0's ToCamelCase and camelCaseToLowerCase (ToSnakeCase/ToKebabCase), the
 * version Kanister's go.mod pins under sprig v2.22: a rune-by-rune algorithm older than the word
 * splitting of v1.3 (`http2xx` → `http_2xx`, a lone `a` camel-cases to "").
 */
import { goLower, goUpper } from "./text.js";

const isUpper = (r: string) => /^\p{Lu}$/u.test(r);
const isNumber = (r: string) => /^\p{N}$/u.test(r);

/** xstrings v1.2.0 ToCamelCase. */
export function toCamelCaseV1(str: string): string {
  if (str === "") return "";
  const runes = [...str];
  let i = 0;
  let out = "";
  let r0 = "";
  // Leading underscores are kept.
  while (i < runes.length) {
    r0 = runes[i++]!;
    if (r0 !== "_") break;
    out += r0;
  }
  if (i >= runes.length) return out;
  r0 = goUpper(r0);
  while (i < runes.length) {
    const r1 = r0;
    r0 = runes[i++]!;
    if (r1 === "_" && r0 === "_") {
      out += r1;
      continue;
    }
    r0 = r1 === "_" ? goUpper(r0) : goLower(r0);
    if (r1 !== "_") out += r1;
  }
  return out + r0;
}

/** xstrings v1.2.0 camelCaseToLowerCase (connector "_" for snake case, "-" for kebab case). */
export function toLowerCaseWordsV1(str: string, connector: string): string {
  if (str === "") return "";
  const runes = [...str];
  let i = 0;
  let out = "";
  let r0 = connector;
  while (i < runes.length) {
    const prev = r0;
    r0 = runes[i++]!;
    if (isUpper(r0)) {
      if (prev !== connector && !isNumber(prev)) out += connector;
      out += goLower(r0);
      if (i >= runes.length) continue;
      r0 = runes[i++]!;
      if (!isUpper(r0)) {
        out += r0;
        continue;
      }
      // "HTTPServer" → "http_server": a run of capitals is an abbreviation plus a word.
      while (i < runes.length) {
        const r1 = r0;
        r0 = runes[i++]!;
        if (!isUpper(r0)) {
          if (r0 === "_" || r0 === " " || r0 === "-") {
            r0 = connector;
            out += goLower(r1);
          } else if (isNumber(r0)) {
            out += goLower(r1) + connector + r0;
          } else {
            out += connector + goLower(r1) + r0;
          }
          break;
        }
        out += goLower(r1);
      }
      if (i >= runes.length || r0 === connector) out += goLower(r0);
    } else if (isNumber(r0)) {
      if (prev !== connector && !isNumber(prev)) out += connector;
      out += r0;
    } else {
      if (r0 === " " || r0 === "-" || r0 === "_") r0 = connector;
      out += r0;
    }
  }
  return out;
}
