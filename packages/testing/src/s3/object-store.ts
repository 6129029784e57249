/**
 * `startObjectStore()`: an S3-compatible server on 127.0.0.1 for tests (s3rver), over HTTPS with a
 * throwaway certificate. restic 0.14 cannot use s3rver over plain http: on an insecure connection its
 * client signs uploads with the `aws-chunked` framing, which s3rver stores verbatim, and the next
 * read fails to parse. Over https both agree, so the helper always serves https and hands out the
 * CA (a PEM and a file) for clients to trust.
 */

import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Server } from "node:https";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, sep } from "node:path";
import { selfSignedCertificate } from "../http/self-signed.js";

const require = createRequire(import.meta.url);

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;
interface AccountModule {
  DUMMY_ACCOUNT: {
    createKeyPair(id: string, secret: string): void;
    revokeAccessKey(id: string): void;
  };
}

/** Options of {@link startObjectStore}. */
export interface ObjectStoreServerOptions {
  /** Buckets created at start (default `["quiesce"]`). */
  buckets?: readonly string[];
  /** Port on 127.0.0.1 (default: a free one). */
  port?: number;
}

/** A running S3-compatible server. */
export interface ObjectStoreServer {
  /** `https://127.0.0.1:<port>`: a Kanister Profile's `endpoint`. */
  readonly endpoint: string;
  /** The region clients should sign for. */
  readonly region: string;
  /** An access key pair the server accepts (fresh for every server). */
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The server certificate (PEM); it is its own CA. */
  readonly certificateAuthority: string;
  /** The same certificate in a file (for restic `--cacert`, `SSL_CERT_FILE`, `NODE_EXTRA_CA_CERTS`). */
  readonly caFile: string;
  /** The buckets created at start. */
  readonly buckets: readonly string[];
  /** Keys of the objects in `bucket` under `prefix`, sorted. */
  keys(bucket: string, prefix?: string): Promise<string[]>;
  /** Stops serving at once, cutting open connections (a store that fails mid-upload). Data stays. */
  halt(): Promise<void>;
  /**
   * Halts the store (as {@link halt}) the moment an upload (PUT) of an object under `prefix` in
   * `bucket` arrives, before any of its bytes are stored: a store that fails mid-upload, at a
   * point that does not depend on how fast the client or the machine is. Resolves once halted.
   */
  haltOnUpload(bucket: string, prefix?: string): Promise<void>;
  /** Serves again on the same port, with the same data, after {@link halt}. */
  resume(): Promise<void>;
  /** Stops the server and removes its data. Idempotent. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const OBJECT_SUFFIX = "._S3rver_object";

/**
 * Starts an S3-compatible server (s3rver) on 127.0.0.1 over HTTPS with a throwaway certificate,
 * with the given buckets and a fresh access key pair. Data lives in a temporary directory removed
 * by `stop()`.
 *
 * @example
 * ```ts
 * import { startObjectStore } from "@quiesce/testing";
 * await using store = await startObjectStore({ buckets: ["backups"] });
 * // restic: RESTIC_REPOSITORY=s3:${store.endpoint}/backups/app, --cacert store.caFile,
 * //         AWS_ACCESS_KEY_ID=store.accessKeyId, AWS_SECRET_ACCESS_KEY=store.secretAccessKey
 * await store.keys("backups", "app/"); // ["app/config", "app/keys/…", …]
 * ```
 */
export async function startObjectStore(options: ObjectStoreServerOptions = {}): Promise<ObjectStoreServer> {
  const S3rver = require("s3rver") as S3rverClass;
  const accounts = require("s3rver/lib/models/account.js") as AccountModule;
  const dir = await mkdtemp(join(tmpdir(), "quiesce-s3-"));
  const directory = join(dir, "data");
  const { cert, key } = selfSignedCertificate();
  const caFile = join(dir, "ca.pem");
  await writeFile(caFile, cert, { mode: 0o644 });
  const buckets = [...(options.buckets ?? ["quiesce"])];
  // s3rver only knows its one dummy account; a fresh key pair on it keeps credentials test-specific.
  const accessKeyId = `QUIESCE${randomBytes(6).toString("hex").toUpperCase()}`;
  const secretAccessKey = randomBytes(20).toString("base64url");
  accounts.DUMMY_ACCOUNT.createKeyPair(accessKeyId, secretAccessKey);

  const make = (port: number) =>
    new S3rver({
      address: "127.0.0.1",
      port,
      silent: true,
      directory,
      key,
      cert,
      vhostBuckets: false,
      configureBuckets: buckets.map((name) => ({ name })),
    });
  // An armed upload tripwire: the path prefix (path-style, `/<bucket>/<prefix>`) and its waiter.
  let tripwire: { path: string; halted: () => void } | undefined;
  const start = async (instance: S3rverInstance) => {
    const address = await instance.run();
    // In front of s3rver's own handlers, not beside them: a listener that only destroyed the
    // socket still let s3rver's handler run for the same request and store a body that had
    // already arrived, so a tripped request is never handed on.
    const http = instance.httpServer;
    if (http) {
      const handlers = http.listeners("request") as ((...args: unknown[]) => void)[];
      http.removeAllListeners("request");
      http.on("request", (request: IncomingMessage, response: ServerResponse) => {
        const armed = tripwire;
        const path = decodeURIComponent((request.url ?? "").split("?")[0] ?? "");
        if (armed && request.method === "PUT" && path.startsWith(armed.path)) {
          tripwire = undefined;
          request.socket.destroy();
          void halt().then(armed.halted);
          return;
        }
        for (const handler of handlers) handler.call(http, request, response);
      });
    }
    return address;
  };
  let server = make(options.port ?? 0);
  const port = (await start(server)).port;
  let running = true;
  let stopped: Promise<void> | undefined;

  const halt = async () => {
    if (!running) return;
    running = false;
    const http = server.httpServer;
    const closing = server.close();
    http?.closeAllConnections();
    await closing;
  };

  const stop = () => {
    stopped ??= (async () => {
      await halt();
      accounts.DUMMY_ACCOUNT.revokeAccessKey(accessKeyId);
      await rm(dir, { recursive: true, force: true });
    })();
    return stopped;
  };
  return {
    endpoint: `https://127.0.0.1:${port}`,
    region: "us-east-1",
    accessKeyId,
    secretAccessKey,
    certificateAuthority: cert,
    caFile,
    buckets,
    async keys(bucket, prefix = "") {
      const root = join(directory, bucket);
      const files = await readdir(root, { recursive: true }).catch(() => [] as string[]);
      return files
        .filter((f) => f.endsWith(OBJECT_SUFFIX))
        .map((f) => f.slice(0, -OBJECT_SUFFIX.length).split(sep).join("/"))
        .filter((k) => k.startsWith(prefix))
        .sort();
    },
    halt,
    haltOnUpload(bucket, prefix = "") {
      return new Promise<void>((halted) => {
        tripwire = { path: `/${bucket}/${prefix}`, halted };
      });
    },
    async resume() {
      if (running) return;
      server = make(port);
      await start(server);
      running = true;
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
