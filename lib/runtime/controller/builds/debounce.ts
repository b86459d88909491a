import type { BuildConfigObject } from '../../../api/buildconfig';
import { DEBOUNCE_ANNOTATION } from '../../../api/labels';

/**
 * Image changes are collected for a window before a build starts, so that a burst of pushes to a
 * base (several tags re-imported, a chain of builds) makes one build with the newest digest. The
 * window opens when a change is first seen and never extends, so steady updates cannot starve
 * builds. No timer per event: the reconciler asks how long is left and is re-queued after it.
 * Kept in memory: a restart only opens a fresh window.
 */
export class Debouncer {
  private readonly opened = new Map<string, number>();

  constructor(private readonly defaultSeconds: number, private readonly now: () => number = Date.now) {}

  /** Milliseconds until a build for `key` may start (0: now); opens the window on first call. */
  remainingMs(key: string, bc: BuildConfigObject): number {
    const windowMs = windowSeconds(bc, this.defaultSeconds) * 1000;
    if (windowMs === 0) return 0;
    const now = this.now();
    const opened = this.opened.get(key) ?? now;
    this.opened.set(key, opened);
    return Math.max(0, opened + windowMs - now);
  }

  /** The build started, or nothing is due any more: the next change opens a new window. */
  close(key: string): void {
    this.opened.delete(key);
  }
}

/** The BuildConfig's own window (annotation imagestreams.dev/debounce-seconds), else the default. */
export function windowSeconds(bc: BuildConfigObject, defaultSeconds: number): number {
  const text = (bc.metadata.annotations as Record<string, string> | undefined)?.[DEBOUNCE_ANNOTATION];
  const value = text !== undefined && /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : undefined;
  return value ?? defaultSeconds;
}
