import { RateLimiter, type BackoffLimits } from './rate-limiter';

/**
 * A queue of keys in the shape of client-go's workqueue: a key waiting is queued once however often
 * it is added (dedupe); a key being processed is never handed to a second worker, and if it is added
 * meanwhile it is queued again when done(key) is called (in-flight re-add); failed keys come back
 * after a per-key exponential back-off.
 */
export class WorkQueue {
  private items: string[] = [];
  private head = 0;
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly waiters: ((key: string | undefined) => void)[] = [];
  private readonly limiter: RateLimiter;
  private stopped = false;

  constructor(limits: BackoffLimits = {}) {
    this.limiter = new RateLimiter(limits);
  }

  /** Keys waiting to be handed out (not those being processed). */
  get length(): number {
    return this.items.length - this.head;
  }

  get shuttingDown(): boolean {
    return this.stopped;
  }

  add(key: string): void {
    if (this.stopped || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return; // done() queues it again
    const waiter = this.waiters.shift();
    if (waiter) {
      this.dirty.delete(key);
      this.processing.add(key);
      waiter(key);
    } else {
      this.items.push(key);
    }
  }

  /** Adds the key after `ms`; an earlier pending add of the same key wins. */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) return this.add(key);
    const at = Date.now() + ms;
    const pending = this.timers.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    this.timers.set(key, { at, timer });
  }

  /** Adds the key after its back-off; returns that delay. */
  addRateLimited(key: string): number {
    const delay = this.limiter.when(key);
    this.addAfter(key, delay);
    return delay;
  }

  /** Failures in a row recorded by addRateLimited. */
  attempts(key: string): number {
    return this.limiter.attempts(key);
  }

  /** Resets the key's back-off (after a success, or when giving up on it). */
  forget(key: string): void {
    this.limiter.forget(key);
  }

  /** The next key (marked as processing), waiting for one; undefined once shut down. */
  get(): Promise<string | undefined> {
    if (this.length > 0) return Promise.resolve(this.take());
    if (this.stopped) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Processing of `key` ended; if it was added meanwhile, it is queued again. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key) && !this.stopped) {
      this.dirty.delete(key);
      this.add(key);
    }
  }

  /**
   * No more adds, and waiting keys are dropped (reconcilers are level-based: the next start
   * enqueues everything again); get() resolves with undefined. Keys in flight may still call done().
   */
  shutDown(): void {
    this.stopped = true;
    this.items = [];
    this.head = 0;
    this.dirty.clear();
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
  }

  private take(): string {
    const key = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }
}
