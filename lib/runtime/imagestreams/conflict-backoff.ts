/**
 * How writers of a stream wait after a 409 before they read it again: exponential back-off with full
 * jitter (a random wait up to base · 2^attempt, capped), so that many writers racing for one
 * stream — importers, the controller, `imagestreams tag` run by a script 50 times at once — spread
 * out instead of colliding again on the next attempt.
 */
export interface ConflictRetryOptions {
  /** Re-reads after a 409 before giving up. @default 30 */
  readonly retries?: number;
  /** Waits; tests pass one that doesn't. @default - a timer */
  readonly sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_CONFLICT_RETRIES = 30;
const BASE_MS = 20;
const CAP_MS = 1_000;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The wait after the `attempt`th conflict (1 for the first): uniform in [0, min(CAP, BASE · 2^(attempt-1))). */
export function conflictDelay(attempt: number, random: () => number = Math.random): number {
  return random() * Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, attempt - 1));
}
