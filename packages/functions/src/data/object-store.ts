/**
 * Deleting from a Profile's object store from the host process (Kanister pkg/location Delete →
 * pkg/objectstore DeleteAllWithPrefix): every object whose key starts with the prefix, through the
 * provider's SDK — S3 (@aws-sdk/client-s3), Azure (@azure/storage-blob), GCS (@google-cloud/storage).
 */
import { Agent } from "node:https";
import { ErrorCodes, QuiesceError } from "@quiesce/core";
import { azureCredentials, gcsCredentials, s3Credentials } from "../profile/credentials.js";
import { LocationTypes, type Profile } from "../profile/types.js";
import { DataErrorCodes } from "./errors.js";

/** What a deletion did. */
export interface DeletedObjects {
  /** How many objects were deleted. */
  deleted: number;
}

const DEFAULT_S3_REGION = "us-east-1";

// Azure environments by name (go-autorest's azure.EnvironmentFromName, as stow uses it).
const AZURE_SUFFIXES: Record<string, string> = {
  AZUREPUBLICCLOUD: "core.windows.net",
  AZURECHINACLOUD: "core.chinacloudapi.cn",
  AZUREUSGOVERNMENTCLOUD: "core.usgovcloudapi.net",
  AZUREGERMANCLOUD: "core.cloudapi.de",
};

async function deleteFromS3(
  profile: Profile,
  prefix: string,
  signal: AbortSignal | undefined,
): Promise<DeletedObjects> {
  const { S3Client, ListObjectsV2Command, DeleteObjectsCommand } = await import("@aws-sdk/client-s3");
  const creds = s3Credentials(profile);
  const endpoint = profile.Location.Endpoint;
  const client = new S3Client({
    region: profile.Location.Region || DEFAULT_S3_REGION,
    credentials: {
      accessKeyId: creds.accessKeyId,
      secretAccessKey: creds.secretAccessKey,
      ...(creds.sessionToken ? { sessionToken: creds.sessionToken } : {}),
    },
    // stow (Kanister's object-store layer) uses path-style requests when an endpoint is given.
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    ...(profile.SkipSSLVerify
      ? { requestHandler: { httpsAgent: new Agent({ rejectUnauthorized: false }) } }
      : {}),
  });
  const bucket = profile.Location.Bucket;
  let deleted = 0;
  try {
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: prefix,
          ...(token ? { ContinuationToken: token } : {}),
        }),
        signal ? { abortSignal: signal } : {},
      );
      const keys = (page.Contents ?? []).map((o) => o.Key).filter((k): k is string => typeof k === "string");
      if (keys.length > 0) {
        const result = await client.send(
          new DeleteObjectsCommand({
            Bucket: bucket,
            Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
          }),
          signal ? { abortSignal: signal } : {},
        );
        const failed = result.Errors ?? [];
        if (failed.length > 0) {
          throw new QuiesceError(
            DataErrorCodes.OBJECT_STORE_FAILED,
            `Failed to delete item ${prefix}: ${failed[0]?.Key}: ${failed[0]?.Message ?? failed[0]?.Code}`,
            {
              details: {
                errors: failed.slice(0, 10).map((e) => ({ key: e.Key, code: e.Code, message: e.Message })),
              },
            },
          );
        }
        deleted += keys.length;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } finally {
    client.destroy();
  }
  return { deleted };
}

async function deleteFromAzure(
  profile: Profile,
  prefix: string,
  signal: AbortSignal | undefined,
): Promise<DeletedObjects> {
  const { BlobServiceClient, StorageSharedKeyCredential } = await import("@azure/storage-blob");
  const creds = azureCredentials(profile);
  const suffix = AZURE_SUFFIXES[(creds.environment || "AzurePublicCloud").toUpperCase()];
  if (!suffix) {
    throw new QuiesceError(
      ErrorCodes.PROFILE_INVALID,
      `unknown Azure environment ${JSON.stringify(creds.environment)}`,
      {
        details: { field: "credential.secret" },
      },
    );
  }
  // Kanister reaches https://<account>.blob.<environment suffix>; an http(s) endpoint in the Profile
  // (e.g. Azurite's) is used instead — Kanister ignores `endpoint` for azure.
  const endpoint = /^https?:\/\//.test(profile.Location.Endpoint)
    ? profile.Location.Endpoint.replace(/\/+$/, "")
    : `https://${creds.storageAccount}.blob.${suffix}`;
  const service = new BlobServiceClient(
    endpoint,
    new StorageSharedKeyCredential(creds.storageAccount, creds.storageKey),
  );
  const container = service.getContainerClient(profile.Location.Bucket);
  let deleted = 0;
  const abort = signal ? { abortSignal: signal } : {};
  for await (const blob of container.listBlobsFlat({ prefix, ...abort })) {
    await container.deleteBlob(blob.name, abort);
    deleted++;
  }
  return { deleted };
}

async function deleteFromGcs(
  profile: Profile,
  prefix: string,
  signal: AbortSignal | undefined,
): Promise<DeletedObjects> {
  const { Storage } = await import("@google-cloud/storage");
  const creds = gcsCredentials(profile);
  let credentials: Record<string, unknown>;
  try {
    credentials = JSON.parse(creds.serviceKey) as Record<string, unknown>;
  } catch (cause) {
    throw new QuiesceError(ErrorCodes.PROFILE_INVALID, "the gcs service account key is not JSON", {
      cause,
      details: { field: "credential.keyPair.secretField" },
    });
  }
  const storage = new Storage({ projectId: creds.projectId, credentials });
  const bucket = storage.bucket(profile.Location.Bucket);
  const [files] = await bucket.getFiles({ prefix });
  let deleted = 0;
  for (const file of files) {
    signal?.throwIfAborted();
    await file.delete();
    deleted++;
  }
  return { deleted };
}

/**
 * Deletes every object of the Profile's bucket whose key starts with `prefix` (no leading "/").
 * Refuses an empty prefix — which would empty the whole bucket.
 */
export async function deleteAllWithPrefix(
  profile: Profile,
  prefix: string,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<DeletedObjects> {
  if (prefix === "") {
    throw new QuiesceError(
      ErrorCodes.VALIDATION,
      `refusing to delete every object of bucket ${profile.Location.Bucket}: the artifact names no path inside it`,
    );
  }
  try {
    switch (profile.Location.Type) {
      case LocationTypes.S3_COMPLIANT:
        return await deleteFromS3(profile, prefix, options.signal);
      case LocationTypes.AZURE:
        return await deleteFromAzure(profile, prefix, options.signal);
      case LocationTypes.GCS:
        return await deleteFromGcs(profile, prefix, options.signal);
      default:
        throw new QuiesceError(
          ErrorCodes.PROFILE_INVALID,
          `Unsupported Location type: ${profile.Location.Type}`,
          {
            details: { field: "location.type" },
          },
        );
    }
  } catch (err) {
    if (err instanceof QuiesceError || options.signal?.aborted) throw err;
    throw new QuiesceError(
      DataErrorCodes.OBJECT_STORE_FAILED,
      `Failed to delete item ${prefix}: ${(err as Error).message}`,
      {
        cause: err,
        details: { bucket: profile.Location.Bucket, prefix },
      },
    );
  }
}
