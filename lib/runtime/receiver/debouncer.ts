/**
 * At most one call per key per window, and never a lost one: the first event of a key fires at once;
 * identical events within the window after it are merged into one more call at the window's end (a
 * push that lands while the first import runs is still seen). Throttling with a trailing edge.
 */
export class Debouncer {
  private readonly windows = new Map<string, { pending: boolean; timer: NodeJS.Timeout }>();

  constructor(private readonly windowMs: number, private readonly fire: (key: string) => void) {}

  /** 'fired' now, or 'merged' into the call at the end of the key's window. */
  push(key: string): 'fired' | 'merged' {
    const open = this.windows.get(key);
    if (open) {
      open.pending = true;
      return 'merged';
    }
    this.fireAndOpen(key);
    return 'fired';
  }

  /** Keys in a window now. */
  get size(): number {
    return this.windows.size;
  }

  close(): void {
    for (const { timer } of this.windows.values()) clearTimeout(timer);
    this.windows.clear();
  }

  private fireAndOpen(key: string): void {
    if (this.windowMs <= 0) return this.fire(key);
    const timer = setTimeout(() => {
      const window = this.windows.get(key);
      this.windows.delete(key);
      if (window?.pending) this.fireAndOpen(key);
    }, this.windowMs);
    timer.unref?.();
    this.windows.set(key, { pending: false, timer });
    this.fire(key);
  }
}
