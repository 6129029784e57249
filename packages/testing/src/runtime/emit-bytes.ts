/** A handler factory that streams a large output cheaply, for benchmarks and limit tests. */
import type { Handler } from "./handlers.js";

/** Options of {@link emitBytes}. */
export interface EmitBytesOptions {
  /** Bytes per chunk (default 64 KiB). */
  chunkSize?: number;
  /** Write to stderr instead of stdout. */
  stream?: "stdout" | "stderr";
  /** Exit code once done (default 0). */
  exitCode?: number;
  /** The byte pattern repeated (default "0123456789abcdef…" with a newline every 64 bytes). */
  fill?: Uint8Array;
}

function defaultPattern(size: number): Uint8Array {
  const line = new TextEncoder().encode(`${"0123456789abcdef".repeat(4).slice(0, 63)}\n`);
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = line[i % line.length] as number;
  return out;
}

/**
 * A handler writing `total` bytes in chunks, awaiting each write (backpressure), so hundreds of MiB
 * stream through with bounded memory. One chunk buffer is reused for the whole output.
 *
 * @example
 * ```ts
 * lc.runtime.onExec({ command: "cat /big" }, emitBytes(256 * 1024 * 1024));
 * ```
 */
export function emitBytes(total: number, options: EmitBytesOptions = {}): Handler {
  const chunkSize = Math.max(1, options.chunkSize ?? 64 * 1024);
  const chunk = options.fill ?? defaultPattern(chunkSize);
  return async (ctx) => {
    const write = options.stream === "stderr" ? ctx.stderr : ctx.stdout;
    let left = total;
    while (left > 0 && !ctx.signal.aborted) {
      const n = Math.min(left, chunk.length);
      await write(n === chunk.length ? chunk : chunk.subarray(0, n));
      left -= n;
    }
    return { exitCode: options.exitCode ?? 0 };
  };
}
