import { describe, expect, it } from "vitest";
import type { KubeObject } from "./cluster.js";
import { objectKey, WatchCache } from "./watch-cache.js";

const pod = (rv: string, extra: Record<string, unknown> = {}, uid = "u1"): KubeObject => ({
  metadata: { namespace: "ns", name: "p", uid, resourceVersion: rv },
  ...extra,
});
const key = objectKey("ns", "p");

describe("WatchCache", () => {
  it("drops an event older than what it holds, and takes a duplicate as it is", () => {
    const cache = new WatchCache();
    cache.reset([], "10");
    expect(cache.apply("ADDED", pod("11", { phase: "Pending" }))).toBe(true);
    expect(cache.apply("MODIFIED", pod("13", { phase: "Running" }))).toBe(true);
    // Reordered: the older state arrives after the newer one.
    expect(cache.apply("MODIFIED", pod("12", { phase: "Pending" }))).toBe(false);
    expect(cache.objects.get(key)).toMatchObject({ phase: "Running" });
    expect(cache.apply("MODIFIED", pod("13", { phase: "Running" }))).toBe(true);
    expect(cache.resourceVersion).toBe("13");
  });

  it("never brings back an object it saw deleted, whatever arrives late about it", () => {
    const cache = new WatchCache();
    cache.reset([pod("5")], "5");
    cache.apply("DELETED", pod("9"));
    expect(cache.apply("MODIFIED", pod("8", { phase: "Running" }))).toBe(false);
    expect(cache.objects.has(key)).toBe(false);
    // A new object under the same name (another uid) is a different object.
    expect(cache.apply("ADDED", pod("10", {}, "u2"))).toBe(true);
    expect(cache.objects.get(key)?.metadata?.uid).toBe("u2");
    // A late DELETED of the old one does not remove the new one.
    cache.apply("DELETED", pod("9"));
    expect(cache.objects.get(key)?.metadata?.uid).toBe("u2");
  });

  it("applies events in arrival order when resourceVersions are not integers", () => {
    const cache = new WatchCache();
    cache.reset([], "a");
    cache.apply("ADDED", pod("x2", { n: 2 }));
    expect(cache.apply("MODIFIED", pod("x1", { n: 1 }))).toBe(true);
    expect(cache.objects.get(key)).toMatchObject({ n: 1 });
    expect(cache.resourceVersion).toBe("x1");
  });

  it("re-watches from the newest resourceVersion seen, bookmarks included", () => {
    const cache = new WatchCache();
    cache.reset([], "100");
    cache.apply("ADDED", pod("105"));
    cache.apply("MODIFIED", pod("103", {}, "other"));
    cache.bookmark("104");
    expect(cache.resourceVersion).toBe("105");
  });
});
