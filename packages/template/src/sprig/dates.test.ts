import { describe, expect, it } from "vitest";
import { GoTime } from "./go-time.js";
import { sprigFunctions as f } from "./index.js";

const call = (name: string, ...args: unknown[]) => {
  const fn = f[name];
  if (fn === undefined) throw new Error(`no function ${name}`);
  return fn(...args);
};

describe("dates", () => {
  it("parses and formats Go layouts", () => {
    const t = call(
      "toDate",
      "2006-01-02T15:04:05.999999999Z07:00",
      "2024-03-05T07:08:09.123456789Z",
    ) as GoTime;
    expect(t).toBeInstanceOf(GoTime);
    expect(t.goString()).toBe("2024-03-05 07:08:09.123456789 +0000 UTC");
    expect(call("date", "2006-01-02T15-04-05", t)).toBe("2024-03-05T07-08-09");
    expect(call("date", "Mon Jan _2 3:04PM .000 Z07:00", t)).toBe("Tue Mar  5 7:08AM .123 Z");
    expect(
      (call("toDate", "2006-01-02T15:04:05Z07:00", "2024-03-05T07:08:09+05:30") as GoTime).goString(),
    ).toBe("2024-03-05 07:08:09 +0530 +0530");
    expect((call("toDate", "2006-01-02", "garbage") as GoTime).goString()).toBe(
      "0001-01-01 00:00:00 +0000 UTC",
    );
    expect(() => call("mustToDate", "2006-01-02", "2024-02-30")).toThrow(
      'parsing time "2024-02-30": day out of range',
    );
  });

  it("answers a repeated parse as the first one, failures included", () => {
    for (let i = 0; i < 3; i++) {
      expect((call("toDate", "2006-01-02", "garbage") as GoTime).goString()).toBe(
        "0001-01-01 00:00:00 +0000 UTC",
      );
      expect(() => call("mustToDate", "2006-01-02", "garbage")).toThrow(
        'parsing time "garbage" as "2006-01-02": cannot parse "garbage" as "2006"',
      );
      expect(call("date", "2006-01-02", call("mustToDate", "2006-01-02", "2024-12-31"))).toBe("2024-12-31");
    }
    // One time formatted with alternating layouts and zones: each answer is its own.
    const t = call("toDate", "2006-01-02T15:04:05Z07:00", "2024-03-05T07:08:09+05:30");
    for (let i = 0; i < 3; i++) {
      expect(call("date", "15:04 MST", t)).toBe("01:38 UTC");
      expect(call("dateInZone", "15:04 -0700", t, "Asia/Kolkata")).toBe("07:08 +0530");
      expect((t as GoTime).format("15:04 -0700")).toBe("07:08 +0530");
      expect(call("date", "2006-01-02", t)).toBe("2024-03-05");
    }
  });

  it("shows times in IANA zones and moves them by durations", () => {
    expect(call("dateInZone", "2006-01-02 15:04 MST", 1709622489, "America/New_York")).toBe(
      "2024-03-05 02:08 EST",
    );
    expect(call("dateInZone", "15:04 MST", 1709622489, "Not/AZone")).toBe("07:08 UTC");
    const t = call("toDate", "2006-01-02", "2024-12-31");
    expect(call("date", "2006-01-02 15:04", call("dateModify", "+36h", t))).toBe("2025-01-01 12:00");
    expect(call("duration", "95")).toBe("1m35s");
    expect(call("durationRound", "400h")).toBe("16d");
    expect(call("unixEpoch", call("toDate", "2006-01-02", "1970-01-02"))).toBe("86400");
  });
});
