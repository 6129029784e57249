/** Bounded output capture: keeps the last N bytes of a stream and counts what it dropped. */

/**
 * Keeps the tail of a byte stream within `limit` bytes, whatever the stream's size. Chunks are held
 * by reference while they fit (no copying on the hot path); when the head must go, only the kept
 * remainder of the head chunk is copied, so a huge chunk is never pinned by a small kept slice.
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
  private chunks: Uint8Array[] = [];
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

  write(chunk: Uint8Array): void {
    const n = chunk.byteLength;
    if (n === 0) return;
    this.totalBytes += n;
    if (this.limit <= 0) return;
    if (n >= this.limit) {
      this.chunks = [chunk.slice(n - this.limit)];
      this.size = this.limit;
      return;
    }
    this.chunks.push(chunk);
    this.size += n;
    while (this.size > this.limit) {
      const head = this.chunks[0] as Uint8Array;
      const excess = this.size - this.limit;
      if (head.byteLength <= excess) {
        this.chunks.shift();
        this.size -= head.byteLength;
      } else {
        this.chunks[0] = head.slice(excess);
        this.size -= excess;
      }
    }
  }

  /** The kept bytes. */
  bytes(): Uint8Array {
    return Buffer.concat(this.chunks, this.size);
  }

  /** The kept bytes as UTF-8 (a character cut by truncation becomes U+FFFD). */
  text(): string {
    return Buffer.concat(this.chunks, this.size).toString("utf8");
  }
}
