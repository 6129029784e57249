/** Internal signals of the pod controller: a replaced pod, and the abort reason of a deleted pod's processes. */
import { ErrorCodes, QuiesceError } from "@quiesce/core";

/** Thrown inside a mutate callback when the named pod is no longer the one we track (never escapes). */
export class StalePod extends Error {
  override name = "StalePod";
  readonly statusCode = 404;
}

/** The abort reason handlers see on `ctx.signal` when their pod is deleted (or the cluster stops). */
export class PodGoneError extends QuiesceError {
  override name = "PodGoneError";
  constructor(namespace: string, pod: string) {
    super(ErrorCodes.ABORTED, `pod ${namespace}/${pod} was deleted`, { details: { namespace, pod } });
  }
}
