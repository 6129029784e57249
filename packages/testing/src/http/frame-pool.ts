const SMALL_FRAME = 4096;

/**
 * Reusable frame buffers for exec output. A frame handed to ws is written to the socket without a
 * copy, so it is only reused once ws reports it written; reusing equal-sized frames keeps a long
 * stream from producing a garbage buffer per chunk (and the memory spikes that come with it).
 */
export class FramePool {
  private readonly free = new Map<number, Buffer[]>();
  private pooledBytes = 0;

  constructor(private readonly maxPooledBytes = 8 * 1024 * 1024) {}

  /** A buffer of exactly `size` bytes (contents undefined). */
  take(size: number): Buffer {
    const list = this.free.get(size);
    const buf = list?.pop();
    if (buf) {
      this.pooledBytes -= size;
      return buf;
    }
    // A small frame (an exec's status) is a slice of Node's shared pool rather than an ArrayBuffer of its own.
    return size < SMALL_FRAME ? Buffer.allocUnsafe(size) : Buffer.allocUnsafeSlow(size);
  }

  /** Returns a buffer once nothing reads it any more. */
  give(buf: Buffer): void {
    if (this.pooledBytes + buf.length > this.maxPooledBytes) return;
    let list = this.free.get(buf.length);
    if (!list) {
      list = [];
      this.free.set(buf.length, list);
    }
    list.push(buf);
    this.pooledBytes += buf.length;
  }
}
