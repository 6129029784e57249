/** Stdin of an exec session as an async iterable, pausing the connection when the runtime falls behind. */

/** What the queue pauses while the runtime is behind (a WebSocket has this shape). */
export interface StdinFlow {
  pause(): void;
  resume(): void;
  readonly isPaused: boolean;
}

const HIGH_WATER = 1024 * 1024;

/** Chunks from the client until it closes stdin (a v5 CLOSE frame, a SPDY FIN) or the connection. */
export class StdinQueue implements AsyncIterable<Uint8Array> {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;
  private ended = false;
  private wake: (() => void) | undefined;

  /** `flow` is paused above the high-water mark; without one the queue only buffers. */
  constructor(private readonly flow?: StdinFlow) {}

  push(chunk: Uint8Array): void {
    if (this.ended) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.flow && this.size > HIGH_WATER && !this.flow.isPaused) this.flow.pause();
    this.notify();
  }

  end(): void {
    this.ended = true;
    this.notify();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    while (true) {
      const chunk = this.chunks.shift();
      if (chunk !== undefined) {
        this.size -= chunk.length;
        if (this.flow && this.size <= HIGH_WATER / 2 && this.flow.isPaused) this.flow.resume();
        yield chunk;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }
}
