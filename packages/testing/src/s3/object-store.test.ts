/**
 * startObjectStore against the client it exists for: real restic over https with the store's CA.
 *
 * @module-tag restic
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ObjectStoreServer, startObjectStore } from "./object-store.js";

const execFileAsync = promisify(execFile);

describe("startObjectStore with restic", () => {
  let store: ObjectStoreServer;
  let data: string;
  beforeAll(async () => {
    store = await startObjectStore({ buckets: ["backups"] });
    data = await mkdtemp(join(tmpdir(), "quiesce-s3-data-"));
    await writeFile(join(data, "hello.txt"), "hello\n");
  });
  afterAll(async () => {
    await store.stop();
    await rm(data, { recursive: true, force: true });
  });

  const restic = async (args: string[]) => {
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: store.accessKeyId,
      AWS_SECRET_ACCESS_KEY: store.secretAccessKey,
      RESTIC_REPOSITORY: `s3:${store.endpoint}/backups/app`,
      RESTIC_PASSWORD: "correct horse",
      SSL_CERT_FILE: store.caFile,
    };
    try {
      const { stdout } = await execFileAsync("restic", args, { env, encoding: "utf8" });
      return { code: 0, stdout, stderr: "" };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  it("serves restic over https with its own CA and a fresh key pair", async () => {
    expect(store.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect((await restic(["init"])).code).toBe(0);
    const backup = await restic(["backup", data]);
    expect(backup.stdout).toMatch(/snapshot [0-9a-f]{8} saved/);
    expect(await store.keys("backups", "app/")).toContain("app/config");
    expect((await store.keys("backups", "app/snapshots/")).length).toBe(1);
  });

  it("cuts clients off when halted and serves the same data again when resumed", async () => {
    await store.halt();
    const down = await restic(["snapshots", "--json"]);
    expect(down.code).not.toBe(0);
    expect(down.stderr).toContain("connection refused");
    await store.resume();
    const up = await restic(["snapshots", "--json"]);
    expect(up.code).toBe(0);
    expect(JSON.parse(up.stdout)).toHaveLength(1);
  });

  it("removes its data when stopped", async () => {
    const other = await startObjectStore();
    expect(other.accessKeyId).not.toBe(store.accessKeyId);
    expect(other.buckets).toEqual(["quiesce"]);
    const dir = dirname(other.caFile);
    expect(existsSync(dir)).toBe(true);
    await other.stop();
    await other.stop();
    expect(existsSync(dir)).toBe(false);
  });
});
