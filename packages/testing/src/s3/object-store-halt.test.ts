/**
 * startObjectStore's upload tripwire: the store halts when the first matching upload arrives,
 * before it stores anything, whatever the speed of the client.
 */
import { request } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ObjectStoreServer, startObjectStore } from "./object-store.js";

/** A raw PUT (s3rver takes unsigned ones); resolves with the status or the connection's error. */
function put(store: ObjectStoreServer, path: string): Promise<string> {
  return new Promise((resolve) => {
    const req = request(
      `${store.endpoint}${path}`,
      { method: "PUT", ca: store.certificateAuthority },
      (res) => {
        res.resume();
        resolve(`status ${res.statusCode}`);
      },
    );
    req.on("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    req.end("payload");
  });
}

describe("startObjectStore haltOnUpload", () => {
  let store: ObjectStoreServer;
  beforeAll(async () => {
    store = await startObjectStore({ buckets: ["backups"] });
  });
  afterAll(() => store.stop());

  it("lets other uploads through, cuts the first matching one, and stays down until resumed", async () => {
    const halted = store.haltOnUpload("backups", "app/data/");
    expect(await put(store, "/backups/app/index/1")).toBe("status 200");
    expect(await put(store, "/backups/app/data/ab/abcdef")).toMatch(/ECONNRESET|socket hang up/);
    await halted;
    expect(await put(store, "/backups/app/index/2")).toBe("ECONNREFUSED");
    expect(await store.keys("backups")).toEqual(["app/index/1"]);
    await store.resume();
    expect(await put(store, "/backups/app/data/ab/abcdef")).toBe("status 200");
    expect(await store.keys("backups")).toEqual(["app/data/ab/abcdef", "app/index/1"]);
  });
});
