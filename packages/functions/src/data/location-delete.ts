/** LocationDelete: deletes an artifact's objects from the Profile's object store (Kanister pkg/function/location_delete.go). */
import { z } from "zod";
import { looseString } from "../args.js";
import { defineFunction } from "../define-function.js";
import { goPathJoin, requireProfile } from "./common.js";
import { deleteAllWithPrefix } from "./object-store.js";

/**
 * The object-key prefix LocationDelete deletes for `artifact`: the Profile's bucket name cut off the
 * front of the artifact (as a string), joined under the Profile's prefix, without a leading "/"
 * (Kanister location.Delete → filepath.Join(prefix, suffix) → DeleteAllWithPrefix → cloudName).
 */
export function locationDeletePrefix(artifact: string, bucket: string, profilePrefix: string): string {
  const suffix = artifact.startsWith(bucket) ? artifact.slice(bucket.length) : artifact;
  return goPathJoin("/", goPathJoin(profilePrefix, suffix)).replace(/^\/+/, "");
}

/**
 * Kanister's LocationDelete: deletes every object whose key starts with the artifact path (see
 * {@link locationDeletePrefix}; `{{ .Profile.Location.Bucket }}/time-log` deletes `time-log…`) from
 * the host process, through the S3, Azure or GCS SDK. Unlike Kanister it refuses an artifact that
 * names the whole bucket. No outputs.
 */
export const locationDelete = defineFunction({
  name: "LocationDelete",
  args: z.object({ artifact: looseString() }),
  async exec(ctx, args) {
    const profile = requireProfile(ctx, true);
    const prefix = locationDeletePrefix(args.artifact, profile.Location.Bucket, profile.Location.Prefix);
    await deleteAllWithPrefix(profile, prefix, { signal: ctx.signal });
  },
});
