import { describe, expect, it } from "vitest";
import { isConnectionReset, isRetryable, parseRetryAfter, retryDelay } from "./retry.js";

const reset = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
const socket = Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" });
const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });

describe("retry classification", () => {
  it("retries transient answers of idempotent calls only", () => {
    for (const statusCode of [500, 502, 503, 504]) {
      expect(isRetryable({ statusCode }, true)).toBe(true);
      expect(isRetryable({ statusCode }, false)).toBe(false);
    }
    for (const statusCode of [400, 401, 403, 404, 409, 410, 422])
      expect(isRetryable({ statusCode }, true)).toBe(false);
  });

  it("retries 429 for every call: the server did nothing", () => {
    expect(isRetryable({ statusCode: 429 }, false)).toBe(true);
  });

  it("retries a dropped connection only when repeating is harmless", () => {
    expect(isRetryable({ error: reset }, true)).toBe(true);
    expect(isRetryable({ error: reset }, false)).toBe(false);
    expect(isRetryable({ error: new TypeError("fetch failed", { cause: socket }) }, true)).toBe(true);
    expect(isRetryable({ error: new Error("socket hang up") }, false)).toBe(false);
    expect(isConnectionReset(new Error("socket hang up"))).toBe(true);
  });

  it("retries a refused connection for any call: nothing was sent", () => {
    expect(isRetryable({ error: refused }, false)).toBe(true);
  });

  it("does not retry programming errors", () => {
    expect(isRetryable({ error: new TypeError("x is not a function") }, true)).toBe(false);
  });
});

describe("retry delays", () => {
  it("honours Retry-After in seconds or as a date, capped", () => {
    expect(parseRetryAfter("2")).toBe(2000);
    expect(parseRetryAfter("0.5")).toBe(500);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(retryDelay(1, { statusCode: 429, retryAfter: "3" })).toBe(3000);
    expect(retryDelay(1, { statusCode: 429, retryAfter: "3600" }, { maxRetryAfterMs: 10_000 })).toBe(10_000);
  });

  it("backs off exponentially with jitter otherwise", () => {
    const mid = () => 0.5;
    expect(retryDelay(1, { statusCode: 503 }, {}, mid)).toBe(100);
    expect(retryDelay(2, { statusCode: 503 }, {}, mid)).toBe(200);
    expect(retryDelay(3, { statusCode: 503 }, {}, mid)).toBe(400);
    expect(retryDelay(20, { statusCode: 503 }, {}, mid)).toBe(5000);
    const low = retryDelay(2, { statusCode: 503 }, {}, () => 0);
    const high = retryDelay(2, { statusCode: 503 }, {}, () => 1);
    expect(low).toBeLessThan(200);
    expect(high).toBeGreaterThan(200);
  });
});
