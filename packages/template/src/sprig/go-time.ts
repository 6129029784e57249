/** Go's time.Time as an immutable value: instant, zone offset and zone name, with Go's String(). */

import { type CivilTime, civilFromDays, daysFromCivil } from "./civil.js";
import { formatLayout } from "./go-layout.js";

const NANOS = 1_000_000_000n;

/**
 * A Go `time.Time`: `unixSeconds` + `nanos` since the epoch, shown at `offset` seconds east of UTC
 * with zone abbreviation `zone` (empty for an unnamed fixed zone, as Go's `FixedZone("", off)`).
 *
 * @example
 * ```ts
 * new GoTime(0, 0, 0, "UTC").goString(); // "1970-01-01 00:00:00 +0000 UTC"
 * ```
 */
export class GoTime {
  constructor(
    readonly unixSeconds: number,
    readonly nanos: number,
    readonly offset: number,
    readonly zone: string,
  ) {
    // Shared between renders (toDate caches parses): never mutable.
    Object.freeze(this);
  }

  /** Go's zero time.Time (January 1, year 1, 00:00:00 UTC). */
  static zero(): GoTime {
    return new GoTime(daysFromCivil(1, 1, 1) * 86400, 0, 0, "UTC");
  }

  /** The current time in UTC (the engine's Local zone). */
  static now(): GoTime {
    const ns = process.hrtime.bigint() - HR_START + START_NS;
    return new GoTime(Number(ns / NANOS), Number(ns % NANOS), 0, "UTC");
  }

  /** Total nanoseconds since the epoch. */
  get unixNanos(): bigint {
    return BigInt(this.unixSeconds) * NANOS + BigInt(this.nanos);
  }

  /** The same instant shown in another zone. */
  withZone(offset: number, zone: string): GoTime {
    if (offset === this.offset && zone === this.zone) return this;
    return new GoTime(this.unixSeconds, this.nanos, offset, zone);
  }

  /** The instant moved by `ns` nanoseconds, same zone. */
  addNanos(ns: bigint): GoTime {
    const total = this.unixNanos + ns;
    let s = total / NANOS;
    let n = total % NANOS;
    if (n < 0n) {
      n += NANOS;
      s -= 1n;
    }
    return new GoTime(Number(s), Number(n), this.offset, this.zone);
  }

  /** Wall-clock fields in this time's zone. */
  civil(): CivilTime {
    const local = this.unixSeconds + this.offset;
    const days = Math.floor(local / 86400);
    const secs = local - days * 86400;
    const { year, month, day } = civilFromDays(days);
    return {
      year,
      month,
      day,
      hour: Math.floor(secs / 3600),
      minute: Math.floor((secs % 3600) / 60),
      second: secs % 60,
      nanosecond: this.nanos,
      weekday: (((days + 4) % 7) + 7) % 7,
      yearDay: days - daysFromCivil(year, 1, 1) + 1,
    };
  }

  /** Go's `Time.String()`, which `%v` prints. */
  goString(): string {
    return this.format("2006-01-02 15:04:05.999999999 -0700 MST");
  }

  /** Go's `Time.Format(layout)`. */
  format(layout: string): string {
    // A Blueprint's `toDate … .Time | date …` formats the same (cached) time render after render:
    // the last formatting is kept (one, so that a new time each render costs nothing more).
    if (this === lastTime && layout === lastLayout) return lastText;
    const text = formatLayout(this.civil(), this.offset, this.zone, layout);
    // Kept only for a layout of a usual size: the memo never holds on to a large string.
    if (layout.length <= 64) {
      lastTime = this;
      lastLayout = layout;
      lastText = text;
    }
    return text;
  }

  toString(): string {
    return this.goString();
  }
}

/** The last formatting done (times are immutable): the time, the layout and the text. */
let lastTime: GoTime | undefined;
let lastLayout = "";
let lastText = "";

const START_NS = BigInt(Date.now()) * 1_000_000n;
const HR_START = process.hrtime.bigint();
