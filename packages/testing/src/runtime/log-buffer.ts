/** A container's log: the tail of its output within a byte cap, readable while it grows. */

type Listener = (chunk: Uint8Array | undefined) => void;

/** Keeps the newest `capBytes` of a container's stdout and stderr, interleaved as written. */
export class LogBuffer {
  readonly #cap: number;
  #chunks: Uint8Array[] = [];
  #bytes = 0;
  #ended = false;
  readonly #listeners = new Set<Listener>();

  constructor(capBytes: number) {
    this.#cap = Math.max(1, capBytes);
  }

  get ended(): boolean {
    return this.#ended;
  }

  append(chunk: Uint8Array): void {
    if (this.#ended || chunk.length === 0) return;
    // Copy: writers may reuse their buffers.
    const copy = chunk.length > this.#cap ? chunk.slice(chunk.length - this.#cap) : chunk.slice();
    this.#chunks.push(copy);
    this.#bytes += copy.length;
    while (this.#bytes > this.#cap && this.#chunks.length > 0) {
      const head = this.#chunks[0] as Uint8Array;
      const excess = this.#bytes - this.#cap;
      if (head.length <= excess) {
        this.#chunks.shift();
        this.#bytes -= head.length;
      } else {
        this.#chunks[0] = head.subarray(excess);
        this.#bytes -= excess;
      }
    }
    for (const listener of this.#listeners) listener(copy);
  }

  /** Marks the end (the container terminated); followers finish. A restart calls {@link reopen}. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    for (const listener of this.#listeners) listener(undefined);
  }

  /** A restarted container keeps appending to the same log. */
  reopen(): void {
    this.#ended = false;
  }

  /** The retained log, optionally only the last `tailLines` lines. */
  snapshot(tailLines?: number): Uint8Array {
    const all = Buffer.concat(this.#chunks);
    if (tailLines === undefined) return all;
    if (tailLines <= 0) return new Uint8Array(0);
    let end = all.length;
    if (end > 0 && all[end - 1] === 0x0a) end--; // a trailing newline ends the last line
    let seen = 0;
    for (let i = end - 1; i >= 0; i--) {
      if (all[i] === 0x0a && ++seen === tailLines) return all.subarray(i + 1);
    }
    return all;
  }

  /** Calls `listener` with each new chunk, then with `undefined` at the end. Returns an unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
