/** Go's string helpers whose edges differ from JavaScript's. */

// unicode.IsSpace: \t-\r, space, U+0085, U+00A0 and the White_Space runes above Latin-1.
const SPACE = "[\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
const LEADING = new RegExp(`^${SPACE}+`);
const TRAILING = new RegExp(`${SPACE}+$`);

/**
 * Go's strings.TrimSpace / bytes.TrimSpace: trims what unicode.IsSpace calls space — U+0085 too,
 * but not U+FEFF, which JavaScript's trim() drops.
 */
export function goTrimSpace(text: string): string {
  return text.replace(LEADING, "").replace(TRAILING, "");
}
