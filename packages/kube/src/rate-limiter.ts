/** Client-side rate limiting: a token bucket like client-go's (QPS with a burst). */

/** Settings of a {@link TokenBucket}. */
export interface RateLimit {
  /** Tokens added per second (default 50). Infinity disables limiting. */
  qps?: number;
  /** Bucket size: how many requests may go at once after a quiet spell (default 100). */
  burst?: number;
}

/**
 * A token bucket: each request takes a token; tokens refill at `qps` per second up to `burst`.
 * Waiters are served in arrival order, so a burst of calls cannot starve an earlier one.
 *
 * @example
 * ```ts
 * const bucket = new TokenBucket({ qps: 5, burst: 10 });
 * await bucket.take({ signal });
 * ```
 */
export class TokenBucket {
  readonly qps: number;
  readonly burst: number;
  private tokens: number;
  private last: number;
  private queue: { resolve: () => void; reject: (reason: unknown) => void; signal?: AbortSignal }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    options: RateLimit = {},
    private readonly now: () => number = () => performance.now(),
  ) {
    this.qps = options.qps ?? 50;
    this.burst = Math.max(1, options.burst ?? 100);
    this.tokens = this.burst;
    this.last = this.now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.qps);
    this.last = t;
  }

  /** Takes a token without waiting; false when none is available. */
  tryTake(): boolean {
    if (!(this.qps < Number.POSITIVE_INFINITY)) return true;
    this.refill();
    if (this.queue.length === 0 && this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  /** Resolves when a token is taken; rejects with `signal.reason` when aborted while waiting. */
  take(options: { signal?: AbortSignal | undefined } = {}): Promise<void> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.tryTake()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const entry = { resolve, reject, ...(signal ? { signal } : {}) };
      const onAbort = () => {
        this.queue = this.queue.filter((e) => e !== entry);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      entry.resolve = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      this.queue.push(entry);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.timer !== undefined || this.queue.length === 0) return;
    this.refill();
    const wait = Math.max(0, ((1 - this.tokens) / this.qps) * 1000);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refill();
      while (this.queue.length > 0 && this.tokens >= 1) {
        this.tokens -= 1;
        this.queue.shift()?.resolve();
      }
      this.schedule();
    }, Math.ceil(wait));
    this.timer.unref?.();
  }
}
