import { errorText, type Logger } from './logger';
import type { Reconciler } from './reconciler';
import type { BackoffLimits } from './rate-limiter';
import { WorkQueue } from './work-queue';

export interface ControllerOptions {
  /** Keys reconciled at the same time (never the same key twice at once). @default 2 */
  readonly workers?: number;
  /** Failures in a row before a key is given up (until it changes again). @default 10 */
  readonly maxAttempts?: number;
  readonly backoff?: BackoffLimits;
  readonly log: Logger;
}

/**
 * Runs one reconciler: a work queue and its workers. Started when this replica leads, stopped when
 * it stops leading; keys enqueued while stopped are dropped, since start() is followed by a full
 * enqueue of every cached object.
 */
export class Controller {
  private queue?: WorkQueue;
  private workers: Promise<void>[] = [];

  constructor(readonly reconciler: Reconciler, private readonly options: ControllerOptions) {}

  get running(): boolean {
    return this.queue !== undefined && !this.queue.shuttingDown;
  }

  enqueue(key: string): void {
    this.queue?.add(key);
  }

  start(): void {
    if (this.running) return;
    const queue = new WorkQueue(this.options.backoff);
    this.queue = queue;
    this.workers = Array.from({ length: this.options.workers ?? 2 }, () => this.work(queue));
  }

  /** Stops handing out keys and waits for the reconciles in flight. */
  async stop(): Promise<void> {
    this.queue?.shutDown();
    await Promise.all(this.workers);
    this.workers = [];
  }

  private async work(queue: WorkQueue): Promise<void> {
    for (let key = await queue.get(); key !== undefined; key = await queue.get()) {
      try {
        await this.reconcileOne(queue, key);
      } finally {
        queue.done(key);
      }
    }
  }

  private async reconcileOne(queue: WorkQueue, key: string): Promise<void> {
    const { reconciler, options } = this;
    try {
      const result = await reconciler.reconcile(key);
      queue.forget(key);
      if (result?.requeueAfterMs !== undefined) queue.addAfter(key, result.requeueAfterMs);
    } catch (error) {
      const attempts = queue.attempts(key) + 1;
      if (attempts < (options.maxAttempts ?? 10)) {
        const retryMs = queue.addRateLimited(key);
        options.log.log('debug', 'reconcile failed; retrying', { reconciler: reconciler.name, key, attempts, retryMs, error: errorText(error) });
        return;
      }
      queue.forget(key);
      options.log.log('error', 'reconcile failed; giving up until the object changes', { reconciler: reconciler.name, key, attempts, error: errorText(error) });
      await reconciler.giveUp?.(key, error).catch((e: unknown) =>
        options.log.log('error', 'giveUp failed', { reconciler: reconciler.name, key, error: errorText(e) }),
      );
    }
  }
}
