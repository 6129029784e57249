/** Bounded parallelism and retry backoff, shared by every fan-out in quiesce. */
import { throwIfAborted } from "./signals.js";

/**
 * Maps `items` through `fn` with at most `limit` calls in flight, preserving order.
 * Every item is settled: the result holds a fulfilled or rejected entry per item, so one failure
 * never hides the others (KubeExecAll and ExecuteOnAll report all failures together).
 *
 * @example
 * ```ts
 * const results = await mapSettledLimit(pods, 32, (pod) => exec(pod));
 * const failed = results.filter((r) => r.status === "rejected");
 * ```
 */
export async function mapSettledLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<PromiseSettledResult<R>[]> {
  const results = new Array<PromiseSettledResult<R>>(items.length);
  let next = 0;
  const width = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        throwIfAborted(options.signal);
        results[index] = { status: "fulfilled", value: await fn(items[index] as T, index) };
      } catch (reason) {
        results[index] = { status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

/** Backoff settings for retries. */
export interface BackoffOptions {
  /** First delay in ms (default 200). */
  baseMs?: number;
  /** Largest delay in ms (default 10_000). */
  maxMs?: number;
  /** Multiplier per attempt (default 2). */
  factor?: number;
  /** Fraction of the delay randomised, 0..1 (default 0.2). */
  jitter?: number;
}

/** Delay before retry number `attempt` (1-based): exponential, capped, with jitter. */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const { baseMs = 200, maxMs = 10_000, factor = 2, jitter = 0.2 } = options;
  const raw = Math.min(maxMs, baseMs * factor ** Math.max(0, attempt - 1));
  const spread = raw * jitter;
  return Math.max(0, Math.round(raw - spread + random() * 2 * spread));
}
