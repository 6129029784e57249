/** Go's time.RFC3339Nano formatting and a wall clock finer than milliseconds, for Kanister's `.Time`. */
import { GoTime } from "@quiesce/template";

/** Go's `time.RFC3339Nano` layout: fraction up to nanoseconds, trailing zeros dropped. */
export const RFC3339_NANO = "2006-01-02T15:04:05.999999999Z07:00";

/** A point in time: a JS Date (milliseconds) or a Go time (nanoseconds). */
export type Instant = Date | GoTime;

function toGoTime(time: Instant): GoTime {
  if (time instanceof GoTime) return time;
  const ms = time.getTime();
  if (!Number.isFinite(ms)) throw new RangeError("invalid Date");
  const seconds = Math.floor(ms / 1000);
  return new GoTime(seconds, (ms - seconds * 1000) * 1_000_000, 0, "UTC");
}

/**
 * Formats an instant in UTC as Go's `t.UTC().Format(time.RFC3339Nano)` does: the fraction's
 * trailing zeros removed, no fraction at all on a whole second.
 *
 * @example
 * ```ts
 * formatRFC3339Nano(new Date("2026-11-21T10:20:30.400Z")); // "2026-11-21T10:20:30.4Z"
 * ```
 */
export function formatRFC3339Nano(time: Instant): string {
  const t = toGoTime(time);
  return t.withZone(0, "UTC").format(RFC3339_NANO);
}

/**
 * The current wall-clock time in UTC, as precise as Node offers: `performance.timeOrigin` (the
 * process's start on the wall clock, in microseconds) plus the monotonic `performance.now()`,
 * rounded to the microsecond. Kanister's `.Time` is `time.Now().UTC()` to the nanosecond
 * (pkg/param/param.go New), so a millisecond clock would print fewer digits than Kanister does.
 * When the wall clock was set since the process started (the sum strays from `Date.now()`), the
 * millisecond clock is used instead: the time must stay right before it is precise.
 */
export function preciseNow(): GoTime {
  const wall = Date.now();
  const fine = performance.timeOrigin + performance.now();
  if (Math.abs(fine - wall) > 2) return toGoTime(new Date(wall));
  const micros = Math.round(fine * 1000);
  const seconds = Math.floor(micros / 1_000_000);
  return new GoTime(seconds, (micros - seconds * 1_000_000) * 1000, 0, "UTC");
}
