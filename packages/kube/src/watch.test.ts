import { describe, expect, it } from "vitest";
import { collectionPath, objectPath, resourceLabel, splitApiVersion } from "./paths.js";
import type { Transport } from "./transport.js";
import { watchEvents } from "./watch.js";

function fakeTransport(chunks: string[]): {
  transport: Transport;
  destroyed: () => boolean;
  query: () => unknown;
} {
  let destroyed = false;
  let query: unknown;
  const transport = {
    async stream(req: { query?: unknown }) {
      query = req.query;
      async function* body() {
        for (const c of chunks) yield Buffer.from(c);
      }
      const iterable = Object.assign(body(), {
        destroy() {
          destroyed = true;
        },
      });
      return { body: iterable, statusCode: 200 };
    },
  } as unknown as Transport;
  return { transport, destroyed: () => destroyed, query: () => query };
}

describe("watchEvents", () => {
  it("reassembles events split across chunks and yields several per chunk", async () => {
    const a = JSON.stringify({ type: "ADDED", object: { metadata: { name: "a", resourceVersion: "1" } } });
    const b = JSON.stringify({ type: "BOOKMARK", object: { metadata: { resourceVersion: "2" } } });
    const c = JSON.stringify({ type: "DELETED", object: { metadata: { name: "a", resourceVersion: "3" } } });
    const wire = `${a}\n${b}\n${c}\n${c.slice(0, 10)}`;
    const { transport, destroyed, query } = fakeTransport([
      wire.slice(0, 7),
      wire.slice(7, 70),
      wire.slice(70),
    ]);
    const events = [];
    for await (const e of watchEvents(
      transport,
      "/api/v1/pods",
      { resourceVersion: "0" },
      { verb: "watch" },
      new AbortController().signal,
    )) {
      events.push(`${e.type}:${e.object.metadata?.resourceVersion}`);
    }
    expect(events).toEqual(["ADDED:1", "BOOKMARK:2", "DELETED:3"]);
    expect(destroyed()).toBe(true);
    expect(query()).toEqual({ resourceVersion: "0", watch: "true" });
  });
});

describe("paths", () => {
  it("builds core and group paths, namespaced or not", () => {
    expect(collectionPath({ version: "v1", resource: "pods", namespace: "db" })).toBe(
      "/api/v1/namespaces/db/pods",
    );
    expect(collectionPath({ group: "apps", version: "v1", resource: "deployments" })).toBe(
      "/apis/apps/v1/deployments",
    );
    expect(
      objectPath(
        { group: "apps", version: "v1", resource: "deployments", namespace: "a b", name: "web" },
        "scale",
      ),
    ).toBe("/apis/apps/v1/namespaces/a%20b/deployments/web/scale");
    expect(objectPath({ version: "v1", resource: "namespaces", name: "db" })).toBe("/api/v1/namespaces/db");
    expect(splitApiVersion("cr.kanister.io/v1alpha1")).toEqual({
      group: "cr.kanister.io",
      version: "v1alpha1",
    });
    expect(splitApiVersion("v1")).toEqual({ group: "", version: "v1" });
    expect(resourceLabel({ group: "apps", version: "v1", resource: "deployments" }, "scale")).toBe(
      "deployments.apps/scale",
    );
  });
});
