/** Bounded output capture: keeps the last N bytes of a stream and counts what it dropped. */

/** Smallest storage allocated: most outputs are a few lines. */
const MIN_CAPACITY = 256;

/**
 * Keeps the tail of a byte stream within `limit` bytes, whatever the stream's size. Bytes are
 * copied into a ring that grows (doubling) up to `limit`, so a chunk may be a view of a buffer its
 * producer reuses, nothing a caller passed is pinned, and a long stream allocates nothing once the
 * ring is full.
 *
 * @example
 * ```ts
 * const tail = new TailBuffer(4);
 * tail.write(Buffer.from("hello"));
 * tail.text(); // "ello"
 * tail.droppedBytes; // 1
 * ```
 */
export class TailBuffer {
  private ring: Buffer | undefined;
  /** Index of the oldest kept byte in the ring. */
  private start = 0;
  private size = 0;
  /** Bytes written in total. */
  totalBytes = 0;

  constructor(readonly limit: number) {}

  /** Bytes dropped from the head to stay within the limit. */
  get droppedBytes(): number {
    return this.totalBytes - this.size;
  }

  get truncated(): boolean {
    return this.droppedBytes > 0;
  }

  /** Appends a copy of `chunk` (which may be reused by the caller once this returns). */
  write(chunk: Uint8Array): void {
    const n = chunk.byteLength;
    if (n === 0) return;
    this.totalBytes += n;
    if (this.limit <= 0) return;
    if (n >= this.limit) {
      const ring = this.reserve(this.limit);
      ring.set(chunk.subarray(n - this.limit), 0);
      this.start = 0;
      this.size = this.limit;
      return;
    }
    const ring = this.reserve(Math.min(this.limit, this.size + n));
    const capacity = ring.length;
    const end = (this.start + this.size) % capacity;
    const first = Math.min(n, capacity - end);
    ring.set(chunk.subarray(0, first), end);
    if (first < n) ring.set(chunk.subarray(first), 0);
    this.size += n;
    if (this.size > capacity) {
      // The write went over the oldest bytes (the ring is at the limit).
      this.start = (this.start + this.size - capacity) % capacity;
      this.size = capacity;
    }
  }

  /** The kept bytes (a copy). */
  bytes(): Uint8Array {
    return this.copyOut();
  }

  /** The kept bytes as UTF-8 (a character cut by truncation becomes U+FFFD). */
  text(): string {
    const ring = this.ring;
    if (!ring || this.size === 0) return "";
    // Kept bytes in one piece (the ring has not wrapped): decoded in place, without a copy.
    if (this.start + this.size <= ring.length)
      return ring.toString("utf8", this.start, this.start + this.size);
    return this.copyOut().toString("utf8");
  }

  private copyOut(): Buffer {
    const out = Buffer.allocUnsafe(this.size);
    const ring = this.ring;
    if (!ring || this.size === 0) return out;
    const first = Math.min(this.size, ring.length - this.start);
    ring.copy(out, 0, this.start, this.start + first);
    if (first < this.size) ring.copy(out, first, 0, this.size - first);
    return out;
  }

  /** A ring of at least `needed` bytes (at most the limit), keeping what it holds. */
  private reserve(needed: number): Buffer {
    const ring = this.ring;
    if (ring && ring.length >= needed) return ring;
    const capacity = Math.min(this.limit, Math.max(needed, MIN_CAPACITY, (ring?.length ?? 0) * 2));
    const grown = Buffer.allocUnsafe(capacity);
    if (ring && this.size > 0) {
      const first = Math.min(this.size, ring.length - this.start);
      ring.copy(grown, 0, this.start, this.start + first);
      if (first < this.size) ring.copy(grown, first, 0, this.size - first);
    }
    this.ring = grown;
    this.start = 0;
    return grown;
  }
}
