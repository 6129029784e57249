/**
 * Random bytes for the exec WebSocket's masks and keys, taken from a pool refilled 4 KiB at a time
 * (as `ws` does): a `randomFillSync` per frame and a `randomBytes` per upgrade each cost more than
 * building the frame or the request. Every byte is handed out once; RFC 6455 §5.3 asks for
 * unpredictable masks, which the pool's CSPRNG bytes are.
 */
import { randomFillSync } from "node:crypto";

const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let used = POOL_BYTES;

/** Fills `target` with random bytes. */
export function fillRandom(target: Uint8Array): void {
  const n = target.byteLength;
  if (n > POOL_BYTES) {
    randomFillSync(target);
    return;
  }
  if (used + n > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  target.set(pool.subarray(used, used + n));
  used += n;
}
