/**
 * Writes of a session record that failed after the obligation was created (the freeze ran): the
 * session goes on — stopping would not undo the freeze — but its result must say that the record
 * fell behind, since a recovery from it would lack that progress.
 */
import { ErrorCodes, type Logger, QuiesceError, type SerializedError, serializeError } from "@quiesce/core";

/** Failed record writes, by what they would have recorded. */
export class UnrecordedWrites {
  readonly #failed = new Map<string, { error: unknown; count: number }>();

  /** Logs a failed write of `record` (`namespace/name`) and keeps it (one entry per `what`). */
  note(record: string, what: string, error: unknown, logger?: Logger): void {
    logger?.warn(`session record ${record}: ${what} not recorded`, { error: serializeError(error).message });
    const seen = this.#failed.get(what);
    if (seen) seen.count += 1;
    else this.#failed.set(what, { error, count: 1 });
  }

  /** The failed writes as `QUIESCE_SESSION_RECORD_FAILED` warnings (none: an empty object). */
  warnings(record: string): { warnings?: SerializedError[] } {
    if (this.#failed.size === 0) return {};
    return {
      warnings: [...this.#failed].map(([what, { error, count }]) =>
        serializeError(
          new QuiesceError(
            ErrorCodes.SESSION_RECORD_FAILED,
            `session record ${record} fell behind the session: ${what} not recorded (${count} ${count === 1 ? "write" : "writes"} failed): ${serializeError(error).message}`,
            { cause: error, details: { failedWrites: count } },
          ),
        ),
      ),
    };
  }
}
