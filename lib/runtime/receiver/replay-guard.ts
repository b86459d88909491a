import type { PushEvent } from './payloads/event';

/** What the guard makes of an event: act on it, or refuse it as seen before or out of its window. */
export type ReplayVerdict = 'fresh' | 'replayed' | 'stale';

export interface ReplayGuardOptions {
  /** Ids remembered at most (the oldest are forgotten first). @default 100_000 */
  readonly maxEntries?: number;
  /** A sender's clock may run ahead of ours by this much. @default 300_000 */
  readonly clockSkewMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * Refuses a delivery seen before: each event's id is remembered for the receiver's window, and an
 * event whose own time is outside that window (older, or further ahead than the clock skew allows)
 * is refused too, so that a delivery recorded long ago can't be played again once its id is
 * forgotten. Formats without a time (Quay) are guarded by their id alone for the window; after it, a
 * replay is what the event always is — a nudge, costing one HEAD per tag it matches.
 */
export class ReplayGuard {
  /** id → when it may be forgotten; a Map iterates in insertion order, oldest first. */
  private readonly seen = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly options: ReplayGuardOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  /** Judges the event and, when fresh, remembers it for `windowMs`. `scope` keeps receivers apart. */
  check(scope: string, event: Pick<PushEvent, 'id' | 'at'>, windowMs: number): ReplayVerdict {
    const now = this.now();
    if (event.at !== undefined && (event.at < now - windowMs || event.at > now + (this.options.clockSkewMs ?? 300_000))) return 'stale';
    const key = `${scope}\u0000${event.id}`;
    const until = this.seen.get(key);
    if (until !== undefined && until > now) return 'replayed';
    this.seen.delete(key);
    this.seen.set(key, now + windowMs);
    this.trim(now);
    return 'fresh';
  }

  /** Forgets an id it judged fresh whose delivery was then not acted on (refused for load, or failed): its retry is no replay. */
  forget(scope: string, id: string): void {
    this.seen.delete(`${scope}\u0000${id}`);
  }

  get size(): number {
    return this.seen.size;
  }

  private trim(now: number): void {
    const max = this.options.maxEntries ?? 100_000;
    for (const [key, until] of this.seen) {
      if (this.seen.size <= max && until > now) break;
      this.seen.delete(key);
    }
  }
}
