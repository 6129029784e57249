import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { humanAge } from "./table.js";
import { pod, startHarness, TOKEN } from "./test-support/harness.js";

let h: Awaited<ReturnType<typeof startHarness>>;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

describe("Table answers for kubectl", () => {
  it("lists pods as a Table with kubectl's columns and metadata-only row objects", async () => {
    await h.api("POST", "/api/v1/namespaces/default/pods", pod("web-0", { labels: { app: "web" } }));
    h.store.mutate(h.store.typeFor("", "v1", "pods")!, "default", "web-0", (p) => {
      p.status = {
        phase: "Running",
        containerStatuses: [{ name: "app", ready: true, restartCount: 1, state: { running: {} } }],
      };
    });
    const res = await fetch(`${h.server.url}/api/v1/namespaces/default/pods`, {
      headers: { authorization: `Bearer ${TOKEN}`, accept: TABLE },
    });
    const table = (await res.json()) as {
      kind: string;
      columnDefinitions: { name: string }[];
      rows: { cells: unknown[]; object: { kind: string; metadata: { labels: unknown } } }[];
    };
    expect(table.kind).toBe("Table");
    expect(table.columnDefinitions.map((c) => c.name)).toEqual([
      "Name",
      "Ready",
      "Status",
      "Restarts",
      "Age",
      "IP",
      "Node",
    ]);
    expect(table.rows[0]?.cells.slice(0, 4)).toEqual(["web-0", "1/1", "Running", 1]);
    expect(table.rows[0]?.object).toMatchObject({
      kind: "PartialObjectMetadata",
      metadata: { labels: { app: "web" } },
    });
    // Without the Table media type the same request is a plain list.
    expect((await h.api("GET", "/api/v1/namespaces/default/pods")).body.kind).toBe("PodList");
  });

  it("formats ages as kubectl does", () => {
    expect([
      humanAge(45_000),
      humanAge(200_000),
      humanAge(17 * 60_000),
      humanAge(5 * 3_600_000 + 180_000),
      humanAge(30 * 3_600_000),
      humanAge(100 * 86_400_000),
    ]).toEqual(["45s", "3m20s", "17m", "5h3m", "30h", "100d"]);
  });
});
