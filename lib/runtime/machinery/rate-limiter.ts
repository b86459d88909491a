/** Per-key exponential back-off, like client-go's ItemExponentialFailureRateLimiter. */
export interface BackoffLimits {
  /** Delay after the first failure; doubles with each failure in a row. @default 5 */
  readonly baseDelayMs?: number;
  /** @default 60_000 */
  readonly maxDelayMs?: number;
}

export class RateLimiter {
  private readonly failures = new Map<string, number>();
  private readonly baseMs: number;
  private readonly maxMs: number;

  constructor(limits: BackoffLimits = {}) {
    this.baseMs = limits.baseDelayMs ?? 5;
    this.maxMs = limits.maxDelayMs ?? 60_000;
  }

  /** Counts one more failure of `key` and says how long to wait before its retry. */
  when(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    // 2 ** n overflows to Infinity long after the cap applies, so Math.min is enough.
    return Math.min(this.baseMs * 2 ** n, this.maxMs);
  }

  /** Failures in a row so far. */
  attempts(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** The key succeeded (or was given up): its next failure starts from the base delay again. */
  forget(key: string): void {
    this.failures.delete(key);
  }
}
