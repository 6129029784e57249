/**
 * A session record's long list kept in parts. A hook session over N namespaces records N units, and
 * each cleanup hook is claimed in the record before it runs: rewriting every unit for every claim
 * costs a session N writes of a record that grows with N. Once the list (the payload field named
 * by `SessionRecordOptions.partsOf`) holds more than {@link PART_ITEMS} items, its items are stored
 * in parts of at most that many, each under a `binaryData` key of the same ConfigMap (gzipped JSON),
 * and a write re-encodes only the parts whose items changed; the rest of the envelope (the head)
 * stays under the record's own key, marked `version: 2` with `parts: { field, count }`.
 *
 * The record is still one ConfigMap and a write still one PATCH carrying its resourceVersion, so
 * fencing, atomicity (head and parts change together or not at all) and the 1 MiB limit (checked on
 * all keys together) are those of a record in one piece. Readers put the list back together, so
 * recovery sees the same payload as before. A part's items keep their part; items appended go to
 * the last part while it has room, so the list reads back in its order.
 */
import { gunzipSync, gzipSync } from "node:zlib";
import { ErrorCodes, QuiesceError, redactText } from "@quiesce/core";
import type { KubeObject } from "../cluster.js";
import { type EncodedRecord, encodeRecord, MAX_RECORD_BYTES } from "./record-codec.js";

/** Items of the list per part (the list is stored in one piece while it holds no more than this). */
export const PART_ITEMS = 25;
/** The `binaryData` key of part `k` (gzipped JSON: an array of the list's items). */
export const sessionPartKey = (k: number): string => `session.part-${k}.json.gz`;
/** Where a head says its list is: `payload[field]` is the parts `0 … count-1` put together. */
export interface PartsMarker {
  field: string;
  count: number;
}
const MAX_PARTS = 100_000;
const MAX_INFLATED_PART_BYTES = 64 * MAX_RECORD_BYTES;

const redacting = (_key: string, value: unknown) => (typeof value === "string" ? redactText(value) : value);

function invalid(where: string, what: string, cause?: unknown): QuiesceError {
  return new QuiesceError(
    ErrorCodes.SESSION_RECORD_INVALID,
    `session record ${where}: ${what}`,
    cause === undefined ? {} : { cause },
  );
}

function listOf(payload: unknown, field: string): object[] {
  const list = (payload as Record<string, unknown> | null)?.[field];
  return Array.isArray(list) ? (list as object[]) : [];
}

/** One write's encoding: the ConfigMap fields, and what to remember once the API server took them. */
export interface PartsWrite {
  encoded: EncodedRecord;
  /** Call after the write went through: the parts it carried are clean. */
  commit(): void;
}

/** Which part each item of the list is in, what was written, and what changed since. */
export class RecordParts {
  readonly field: string;
  #split = false;
  readonly #partOf = new WeakMap<object, number>();
  /** Items per part and stored bytes per part, as last written. */
  readonly #members: number[] = [];
  readonly #bytes: number[] = [];
  readonly #dirty = new Set<number>();
  readonly #touched = new Set<object>();

  constructor(field: string) {
    this.field = field;
  }

  /** The layout of a record read back in parts (`groups[k]`: part k's items, `bytes[k]`: its stored size). */
  static stored(field: string, groups: readonly object[][], bytes: readonly number[]): RecordParts {
    const parts = new RecordParts(field);
    parts.#split = true;
    groups.forEach((items, k) => {
      for (const item of items) parts.#partOf.set(item, k);
      parts.#members[k] = items.length;
      parts.#bytes[k] = bytes[k] ?? 0;
    });
    return parts;
  }

  /** True once the list is stored in parts (it then stays so). */
  get split(): boolean {
    return this.#split;
  }

  /** Marks items of the list as changed: the next write re-encodes their parts. */
  touch(items: Iterable<unknown>): void {
    for (const item of items) if (typeof item === "object" && item !== null) this.#touched.add(item);
  }

  /**
   * Encodes `envelope` for a write: in one piece while the list is short, else its head and the
   * parts that changed (every part when `full`). Throws `QUIESCE_SESSION_RECORD_FAILED` when all
   * keys together would pass {@link MAX_RECORD_BYTES}.
   */
  encode(envelope: { payload: unknown }, full: boolean): PartsWrite {
    const items = listOf(envelope.payload, this.field);
    if (!this.#split && items.length <= PART_ITEMS) {
      this.#touched.clear();
      return { encoded: encodeRecord(envelope), commit: () => {} };
    }
    if (!this.#split) full = true;
    this.#split = true;
    const groups = this.#group(items);
    for (const item of this.#touched) {
      const k = this.#partOf.get(item);
      if (k !== undefined) this.#dirty.add(k);
    }
    this.#touched.clear();
    groups.forEach((g, k) => {
      if (full || g.length !== this.#members[k]) this.#dirty.add(k);
    });
    const { [this.field]: _list, ...rest } = envelope.payload as Record<string, unknown>;
    const head = encodeRecord({
      ...envelope,
      version: 2,
      parts: { field: this.field, count: groups.length } satisfies PartsMarker,
      payload: rest,
    });
    const written = [...this.#dirty].sort((a, b) => a - b);
    const binaryData: Record<string, string | null> = { ...head.binaryData };
    const bytes = new Map<number, number>();
    for (const k of written) {
      const gz = gzipSync(JSON.stringify(groups[k] ?? [], redacting));
      binaryData[sessionPartKey(k)] = gz.toString("base64");
      bytes.set(k, gz.length);
    }
    let total = head.bytes;
    for (let k = 0; k < groups.length; k++) total += bytes.get(k) ?? this.#bytes[k] ?? 0;
    if (total > MAX_RECORD_BYTES) {
      throw new QuiesceError(
        ErrorCodes.SESSION_RECORD_FAILED,
        `the session record would hold ${total} bytes (its ${this.field} in ${groups.length} gzipped parts); a ConfigMap holds at most ${MAX_RECORD_BYTES}`,
        { details: { bytes: total } },
      );
    }
    return {
      encoded: { data: head.data, binaryData, bytes: total },
      commit: () => {
        for (const k of written) {
          this.#dirty.delete(k);
          this.#members[k] = groups[k]?.length ?? 0;
          this.#bytes[k] = bytes.get(k) ?? 0;
        }
      },
    };
  }

  // The list's items by part, in list order; items not in a part yet go to the last one with room.
  #group(items: readonly object[]): object[][] {
    const counts: number[] = [...this.#members].map(() => 0);
    const fresh: object[] = [];
    for (const item of items) {
      const k = this.#partOf.get(item);
      if (k === undefined) fresh.push(item);
      else counts[k] = (counts[k] ?? 0) + 1;
    }
    let last = Math.max(0, counts.length - 1);
    for (const item of fresh) {
      // Only the last part takes new items: one emptied by removals is not refilled, so order is kept.
      if ((counts[last] ?? 0) >= PART_ITEMS) last++;
      this.#partOf.set(item, last);
      counts[last] = (counts[last] ?? 0) + 1;
      this.#dirty.add(last);
    }
    const groups: object[][] = counts.map(() => []);
    for (const item of items) groups[this.#partOf.get(item) as number]?.push(item);
    return groups;
  }
}

/**
 * Puts a head's list back together from its parts (`payload[marker.field]`), returning the layout to
 * write it again. Throws `QUIESCE_SESSION_RECORD_INVALID` when a part is missing or unreadable.
 */
export function readParts(
  configMap: KubeObject,
  marker: unknown,
  payload: Record<string, unknown>,
  where: string,
): RecordParts {
  const m = marker as Partial<PartsMarker> | null;
  if (
    typeof m?.field !== "string" ||
    !Number.isInteger(m.count) ||
    (m.count as number) < 0 ||
    (m.count as number) > MAX_PARTS
  ) {
    throw invalid(where, "its parts marker is not { field, count }");
  }
  const stored = (configMap as { binaryData?: Record<string, string> }).binaryData ?? {};
  const groups: object[][] = [];
  const bytes: number[] = [];
  for (let k = 0; k < (m.count as number); k++) {
    const value = stored[sessionPartKey(k)];
    if (value === undefined)
      throw invalid(where, `part ${k} of ${m.count} (${sessionPartKey(k)}) is missing`);
    const gz = Buffer.from(value, "base64");
    let items: unknown;
    try {
      items = JSON.parse(gunzipSync(gz, { maxOutputLength: MAX_INFLATED_PART_BYTES }).toString("utf8"));
    } catch (cause) {
      throw invalid(where, `${sessionPartKey(k)} is not gzipped JSON`, cause);
    }
    if (!Array.isArray(items) || items.some((i) => typeof i !== "object" || i === null)) {
      throw invalid(where, `${sessionPartKey(k)} is not a list of objects`);
    }
    groups.push(items as object[]);
    bytes.push(gz.length);
  }
  payload[m.field] = groups.flat();
  return RecordParts.stored(m.field, groups, bytes);
}
