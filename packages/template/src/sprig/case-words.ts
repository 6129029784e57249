/** huandu/xstrings' ToSnakeCase / ToKebabCase / ToCamelCase / ToPascalCase, as sprig uses them. */

import { goLower, goUpper, isGoSpace, isUpperRune } from "./text.js";

type WordType = "invalid" | "number" | "upper" | "alphabet" | "connector" | "punct" | "other";

const isConnector = (r: string) => r === "-" || r === "_" || isGoSpace(r.codePointAt(0) ?? 0);
const isLetter = (r: string) => /^\p{L}$/u.test(r);
const isPunct = (r: string) => /^\p{P}$/u.test(r);
const isNumber = (r: string) => /^\p{N}$/u.test(r);
/** xstrings' isAlphabet: letters, except common CJK ideographs. */
const isAlphabet = (r: string) => {
  if (!isLetter(r)) return false;
  const cp = r.codePointAt(0) ?? 0;
  return !(cp >= 0x4e00 && cp <= 0x9fcc) && !(cp >= 0x3400 && cp <= 0x4dbf);
};

function nextWord(runes: readonly string[], start: number): [WordType, number] {
  const r = runes[start];
  if (r === undefined) return ["invalid", start];
  let i = start + 1;
  const take = (pred: (x: string) => boolean) => {
    while (i < runes.length && pred(runes[i] ?? "")) i++;
  };
  if (isConnector(r)) {
    take(isConnector);
    return ["connector", i];
  }
  if (isPunct(r)) {
    take(isPunct);
    return ["punct", i];
  }
  if (isUpperRune(r)) {
    const n = runes[i];
    if (n === undefined) return ["upper", i];
    if (isUpperRune(n)) {
      take(isUpperRune);
      // "HTTPServer": the last capital starts the next word.
      if (i < runes.length && isAlphabet(runes[i] ?? "")) i--;
    } else if (isAlphabet(n)) {
      i++;
      take((x) => isAlphabet(x) && !isUpperRune(x));
    }
    return ["upper", i];
  }
  if (isAlphabet(r)) {
    take((x) => isAlphabet(x) && !isUpperRune(x));
    return ["alphabet", i];
  }
  if (isNumber(r)) {
    take(isNumber);
    return ["number", i];
  }
  take((x) => !(isConnector(x) || isAlphabet(x) || isNumber(x) || isPunct(x)));
  return ["other", i];
}

function lowerWord(wt: WordType, word: string, connector: string): string {
  if (wt !== "upper" && wt !== "connector") return word;
  let out = "";
  for (const r of word) out += isConnector(r) ? connector : isUpperRune(r) ? r.toLowerCase() : r;
  return out;
}

/** xstrings' camelCaseToLowerCase with the given connector ("_" snake case, "-" kebab case). */
export function toLowerCaseWords(str: string, connector: string): string {
  if (str === "") return "";
  const runes = [...str];
  let out = "";
  let pos = 0;
  const next = (): [WordType, string] => {
    const [wt, end] = nextWord(runes, pos);
    const w = runes.slice(pos, end).join("");
    pos = end;
    return [wt, w];
  };
  let [wt, word] = next();
  while (pos < runes.length) {
    if (wt !== "connector") out += lowerWord(wt, word, connector);
    const prev = wt;
    const last = word;
    [wt, word] = next();
    if (prev === "number") {
      while (wt === "alphabet" || wt === "number") {
        out += lowerWord(wt, word, connector);
        [wt, word] = next();
      }
      if (wt !== "invalid" && wt !== "punct" && wt !== "connector") out += connector;
    } else if (prev === "connector") {
      out += lowerWord(prev, last, connector);
    } else if (prev !== "punct") {
      if (wt !== "number") {
        if (wt !== "connector" && wt !== "punct") out += connector;
        continue;
      }
      if (pos >= runes.length) continue;
      const num = word;
      [wt, word] = next();
      if (wt !== "alphabet") {
        out += lowerWord("number", num, connector);
        if (wt !== "connector" && wt !== "punct") out += connector;
        continue;
      }
      out += connector + lowerWord("number", num, connector);
      while (wt === "alphabet" || wt === "number") {
        out += lowerWord(wt, word, connector);
        [wt, word] = next();
      }
      if (wt !== "invalid" && wt !== "connector" && wt !== "punct") out += connector;
    }
  }
  return out + lowerWord(wt, word, connector);
}

/**
 * xstrings v1.5.0's ToPascalCase (sprig v3.3.0's `camelcase`): connectors removed, the first rune
 * and each one after a connector upper-cased; within a word that starts upper-case, the upper-case
 * runes that follow are lowered until the first one that is not ("HTTPServer" → "Httpserver",
 * "someWords" → "SomeWords").
 */
export function toPascalCase(str: string): string {
  if (str === "") return "";
  const runes = [...str];
  let out = "";
  let i = 0;
  let r0 = "";
  let firstUpper = false;
  while (i < runes.length) {
    r0 = runes[i++] ?? "";
    if (!isConnector(r0)) {
      firstUpper = isUpperRune(r0);
      r0 = goUpper(r0);
      break;
    }
    out += r0;
  }
  // A string of connectors only: the last one is written once more, as xstrings does.
  if (i >= runes.length) return out + r0;
  while (i < runes.length) {
    const r1 = r0;
    r0 = runes[i++] ?? "";
    if (isConnector(r0) && isConnector(r1)) {
      out += r1;
      continue;
    }
    if (isConnector(r1)) {
      firstUpper = isUpperRune(r0);
      r0 = goUpper(r0);
    } else {
      if (firstUpper) {
        if (isUpperRune(r0)) r0 = goLower(r0);
        else firstUpper = false;
      }
      out += r1;
    }
  }
  return out + r0;
}
