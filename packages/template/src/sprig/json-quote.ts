/** encoding/json's quoting of strings (Go 1.19's escapes). */

const HEX = "0123456789abcdef";

/** True when a string holds a character Go's encoder escapes (most strings hold none). */
function needsEscape(s: string, escapeHtml: boolean): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 34 || c === 92 || (c >= 0x2028 && (c <= 0x2029 || (c >= 0xd800 && c <= 0xdfff))))
      return true;
    if (escapeHtml && (c === 60 || c === 62 || c === 38)) return true;
  }
  return false;
}

/** Quotes a string as encoding/json does (Go 1.19 escapes: \n \r \t short, other controls \u00XX). */
export function jsonQuote(s: string, escapeHtml: boolean): string {
  if (!needsEscape(s, escapeHtml)) return `"${s}"`;
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c < 0x20) {
      rep = c === 10 ? "\\n" : c === 13 ? "\\r" : c === 9 ? "\\t" : `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
    } else if (c === 34) rep = '\\"';
    else if (c === 92) rep = "\\\\";
    else if (escapeHtml && (c === 60 || c === 62 || c === 38)) rep = `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
    else if (c === 0x2028 || c === 0x2029) rep = `\\u202${HEX[c & 15]}`;
    else if (c >= 0xd800 && c <= 0xdfff) {
      // A lone surrogate is invalid UTF-8 in Go's view: replaced by U+FFFD.
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      rep = "\\ufffd";
    }
    if (rep !== undefined) {
      out += s.slice(start, i) + rep;
      start = i + 1;
    }
  }
  return `${out + s.slice(start)}"`;
}
