/** Go's time.RFC3339Nano formatting, as Kanister's `.Time` carries it. */

/** Formats a date in UTC as Go's RFC3339Nano does (trailing zeros of the fraction removed). */
export function formatRFC3339Nano(date: Date): string {
  const iso = date.toISOString(); // 2006-01-02T15:04:05.123Z
  const [main, frac = "000Z"] = iso.split(".") as [string, string?];
  const digits = frac.replace(/Z$/, "").replace(/0+$/, "");
  return digits === "" ? `${main}Z` : `${main}.${digits}Z`;
}
