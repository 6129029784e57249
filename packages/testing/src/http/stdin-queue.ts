/** Stdin of an exec session as an async iterable, pausing the WebSocket when the runtime falls behind. */
import type { WebSocket } from "ws";

const HIGH_WATER = 1024 * 1024;

/** Chunks from channel 0 until the client closes stdin (v5 CLOSE frame) or the socket. */
export class StdinQueue implements AsyncIterable<Uint8Array> {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;
  private ended = false;
  private wake: (() => void) | undefined;

  constructor(private readonly ws: WebSocket) {}

  push(chunk: Uint8Array): void {
    if (this.ended) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size > HIGH_WATER && !this.ws.isPaused) this.ws.pause();
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
        if (this.size <= HIGH_WATER / 2 && this.ws.isPaused) this.ws.resume();
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
