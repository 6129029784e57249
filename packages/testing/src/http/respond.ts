/** Writing JSON and Status answers, and reading request bodies, on node:http. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseYaml } from "yaml";
import { ApiStatusError, type StatusBody } from "../api/errors.js";
import { decodeKubernetesProtobuf } from "../protobuf/decode.js";

const PROTOBUF = "application/vnd.kubernetes.protobuf";

/** The largest request body accepted (the API server's own limit is 3 MiB per object; leave headroom). */
const MAX_BODY = 8 * 1024 * 1024;

/** Sends a JSON answer. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-cache, private",
    ...headers,
  });
  res.end(text);
}

/** Converts anything thrown into an ApiStatusError (unknown errors become 500 InternalError). */
export function toStatusError(err: unknown): ApiStatusError {
  if (err instanceof ApiStatusError) return err;
  return ApiStatusError.internal(err instanceof Error ? err.message : String(err));
}

/** Sends a Status failure. */
export function sendStatus(res: ServerResponse, err: unknown, headers: Record<string, string> = {}): number {
  const e = toStatusError(err);
  if (res.headersSent) {
    res.destroy();
    return e.statusCode;
  }
  const retry = e.status.details?.retryAfterSeconds;
  sendJson(
    res,
    e.statusCode,
    e.status,
    retry === undefined ? headers : { "Retry-After": String(retry), ...headers },
  );
  return e.statusCode;
}

/** A Status of success (as DELETE answers for collections). */
export function successStatus(details?: StatusBody["details"]): Record<string, unknown> {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Success",
    ...(details ? { details } : {}),
  };
}

/** Reads the request body as text (bounded). */
export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBodyBytes(req)).toString("utf8");
}

/** Reads the request body (bounded). */
export async function readBodyBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY)
      throw new ApiStatusError(413, "RequestEntityTooLarge", "the request body is too large");
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON body; 400 BadRequest when it is not JSON. */
export function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw ApiStatusError.badRequest(
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (${(err as Error).message})`,
    );
  }
}

/**
 * Reads and decodes a request body by its Content-Type: JSON, YAML, or — for the built-in kinds
 * client-go's typed clients (and kubectl ≥ 1.33) send that way — Kubernetes protobuf. Other media
 * types answer 415.
 */
export async function readObjectBody(req: IncomingMessage): Promise<unknown> {
  const media = (req.headers["content-type"] ?? "application/json").split(";")[0]!.trim().toLowerCase();
  if (media === PROTOBUF) return decodeKubernetesProtobuf(await readBodyBytes(req));
  if (
    media !== "application/json" &&
    media !== "application/yaml" &&
    media !== "text/yaml" &&
    media !== "*/*" &&
    media !== ""
  ) {
    // Drain so the connection stays usable.
    await readBody(req);
    throw new ApiStatusError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, ${PROTOBUF}`,
    );
  }
  const text = await readBody(req);
  if (media === "application/yaml" || media === "text/yaml") {
    try {
      return text.trim() === "" ? undefined : (parseYaml(text) as unknown);
    } catch (err) {
      throw ApiStatusError.badRequest(`error decoding YAML: ${(err as Error).message}`);
    }
  }
  return parseJson(text);
}
