/**
 * LocationDelete's object paths (Kanister pkg/location Delete → pkg/objectstore DeleteAllWithPrefix)
 * and its Azure deletion against Azurite, started here. (Its S3 deletion runs against s3rver in
 * volume-data.test.ts; Google Cloud Storage has no offline server to test against.)
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { type LocalCluster, startLocalCluster } from "@quiesce/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerBuiltins } from "../builtins/index.js";
import type { Profile } from "../profile/types.js";
import { createRegistry } from "../registry.js";
import { runBlueprintAction } from "../runner/run-action.js";
import { blueprintOf } from "../test-support/local.js";
import { locationDeletePrefix } from "./location-delete.js";

// Azurite's well-known development account.
const ACCOUNT = "devstoreaccount1";
const KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

describe("LocationDelete's prefix", () => {
  it("cuts the bucket off the artifact as a string, joins it under the Profile's prefix, drops the leading /", () => {
    expect(locationDeletePrefix("quiesce/time-log", "quiesce", "")).toBe("time-log");
    expect(locationDeletePrefix("quiesce/time-log", "quiesce", "team-a")).toBe("team-a/time-log");
    expect(locationDeletePrefix("other/x", "quiesce", "")).toBe("other/x");
    // strings.TrimPrefix, not a path element: "quiesce-2/x" loses "quiesce".
    expect(locationDeletePrefix("quiesce-2/x", "quiesce", "")).toBe("-2/x");
    expect(locationDeletePrefix("quiesce", "quiesce", "")).toBe("");
    expect(locationDeletePrefix("quiesce/a/../b/", "quiesce", "p/")).toBe("p/b");
  });
});

describe("LocationDelete on Azure (Azurite)", () => {
  let azurite: ChildProcess;
  let dir: string;
  let endpoint: string;
  let lc: LocalCluster;
  const registry = createRegistry();
  registerBuiltins(registry);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "quiesce-azurite-"));
    const main = createRequire(import.meta.url).resolve("azurite/dist/src/blob/main.js");
    azurite = spawn(
      process.execPath,
      [
        main,
        "--blobHost",
        "127.0.0.1",
        "--blobPort",
        "0",
        "--location",
        dir,
        "--silent",
        "--disableTelemetry",
        "--skipApiVersionCheck",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    endpoint = await new Promise<string>((resolve, reject) => {
      let out = "";
      azurite.stdout?.on("data", (c: Buffer) => {
        out += c.toString();
        const m = /listens on (http:\/\/[\d.]+:\d+)/.exec(out);
        if (m) resolve(`${m[1]}/${ACCOUNT}`);
      });
      azurite.on("exit", (code) => reject(new Error(`azurite exited with ${code}: ${out}`)));
    });
    lc = await startLocalCluster({ podStartDelayMs: 0, readyDelayMs: 0, terminationDelayMs: 0 });
  }, 60_000);
  afterAll(async () => {
    // Azurite writes its metadata as it shuts down: wait for it to exit before removing its folder.
    const exited =
      azurite && azurite.exitCode === null && azurite.signalCode === null
        ? new Promise<void>((resolve) => {
            azurite.once("exit", () => resolve());
            setTimeout(resolve, 10_000).unref();
          })
        : Promise.resolve();
    azurite?.kill();
    await exited;
    await lc?.stop();
    if (dir) await rm(dir, { recursive: true, force: true, maxRetries: 5 });
  }, 30_000);

  it("deletes every blob under the artifact's path and nothing else", async () => {
    const service = new BlobServiceClient(endpoint, new StorageSharedKeyCredential(ACCOUNT, KEY));
    const container = service.getContainerClient("backups");
    await container.create();
    const names = [
      "team-a/time-log/config",
      "team-a/time-log/data/01/0123",
      "team-a/time-logs-other",
      "team-a/kept/config",
    ];
    for (const name of names) await container.getBlockBlobClient(name).upload("x", 1);

    const profile: Profile = {
      Location: { Type: "azure", Bucket: "backups", Endpoint: endpoint, Prefix: "team-a", Region: "" },
      Credential: {
        Type: "keyPair",
        KeyPair: { ID: ACCOUNT, Secret: KEY },
        Secret: null,
        KopiaServerSecret: null,
      },
      SkipSSLVerify: false,
    };
    const result = await runBlueprintAction(
      blueprintOf([
        {
          func: "LocationDelete",
          name: "delete",
          args: { artifact: "{{ .Profile.Location.Bucket }}/time-log" },
        },
      ]),
      "run",
      { cluster: lc.cluster, registry, subject: { kind: "Namespace", name: "default" }, profile },
    );
    expect(result.error).toBeUndefined();
    const left: string[] = [];
    for await (const blob of container.listBlobsFlat()) left.push(blob.name);
    // Like Kanister's prefix walk, "time-log" also matches "time-logs-other".
    expect(left.sort()).toEqual(["team-a/kept/config"]);
    expect(JSON.stringify(result)).not.toContain(KEY);
  });
});
