export interface RateLimitOptions {
  /** Deliveries at once. @default 10 */
  readonly burst?: number;
  /** One more delivery may come this often. @default 6_000 (10 a minute) */
  readonly refillMs?: number;
  /** Keys remembered at most (the least recently used are forgotten first). @default 10_000 */
  readonly maxKeys?: number;
  readonly now?: () => number;
}

/**
 * A token bucket per key (a BuildConfig): `burst` deliveries at once, then one per `refillMs`. Takes
 * a token or says how long until one is there.
 */
export class RateLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly now: () => number;

  constructor(private readonly options: RateLimitOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  /** 0 when a delivery may go ahead (its token taken), else the ms until one may. */
  take(key: string): number {
    const burst = this.options.burst ?? 10;
    const refill = this.options.refillMs ?? 6_000;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    const tokens = Math.min(burst, bucket.tokens + (now - bucket.at) / refill);
    this.buckets.delete(key);
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: now });
      return Math.ceil((1 - tokens) * refill);
    }
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    this.trim();
    return 0;
  }

  /** Gives back a token taken for a delivery that was then not acted on. */
  giveBack(key: string): void {
    const bucket = this.buckets.get(key);
    if (bucket) bucket.tokens = Math.min(this.options.burst ?? 10, bucket.tokens + 1);
  }

  private trim(): void {
    const max = this.options.maxKeys ?? 10_000;
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= max) break;
      this.buckets.delete(key);
    }
  }
}
