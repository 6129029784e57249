/**
 * Kanister's label sanitizing for snapshots (pkg/utils/volumesnapshot/helpers.go SanitizeTags,
 * tags.go SanitizeValueForGCP): keys and values are cut to 63 bytes, lower-cased, every rune
 * outside [a-z0-9_-] becomes "_", and trailing "_" and "-" are trimmed — so
 * `app.kubernetes.io/name: MySQL` becomes `app_kubernetes_io_name: mysql`.
 */

const encoder = new TextEncoder();

/** Go's range over a string: runes, each invalid UTF-8 byte one U+FFFD. */
function goRunes(bytes: Uint8Array): number[] {
  const runes: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need =
      b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (need === 0) {
      runes.push(b);
      i++;
      continue;
    }
    let cp = need === 1 ? b & 0x1f : need === 2 ? b & 0x0f : b & 0x07;
    let ok = need > 0;
    for (let k = 1; ok && k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (c & 0x3f);
    }
    const min = need === 1 ? 0x80 : need === 2 ? 0x800 : 0x10000;
    if (!ok || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      runes.push(0xfffd);
      i++;
    } else {
      runes.push(cp);
      i += need + 1;
    }
  }
  return runes;
}

/** unicode.ToLower for what can end up in [a-z0-9_-]: ASCII, and the two runes that lower to ASCII. */
function lowerToAscii(rune: number): string | undefined {
  if (rune >= 0x41 && rune <= 0x5a) return String.fromCharCode(rune + 32);
  if (rune < 0x80) return String.fromCharCode(rune);
  if (rune === 0x212a) return "k"; // KELVIN SIGN
  if (rune === 0x130) return "i"; // LATIN CAPITAL LETTER I WITH DOT ABOVE
  return undefined;
}

/** SanitizeValueForGCP. */
export function sanitizeValue(value: string): string {
  let bytes = encoder.encode(value);
  if (bytes.length > 63) bytes = bytes.subarray(0, 63);
  let out = "";
  for (const rune of goRunes(bytes)) {
    const lower = lowerToAscii(rune);
    out += lower !== undefined && /^[a-z0-9_-]$/.test(lower) ? lower : "_";
  }
  return out.replace(/[_-]+$/, "");
}

/** SanitizeTags: every key and value sanitized (a later key wins when two collapse into one). */
export function sanitizeTags(tags: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) out[sanitizeValue(key)] = sanitizeValue(value);
  return out;
}
