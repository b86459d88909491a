import { reportImport } from '../importer/report-import';
import { StreamNotFoundError } from '../imagestreams/streams';
import type { TagImportResult } from '../imagestreams/results';
import { importStream, type ImportReport } from '../importer/import-stream';
import type { KubeClient } from '../kube/client';
import type { EventRecorder } from '../machinery/events';
import { errorText, type Logger } from '../machinery/logger';
import type { ResolveOptions } from '../registry/options';

/** A tag to import on a push, with the digest its event named (a hint of when the registry has caught up). */
export interface NudgedTag {
  readonly tag: string;
  readonly digest?: string;
}

export interface PushImporterOptions {
  readonly client: KubeClient;
  readonly events: EventRecorder;
  readonly log: Logger;
  /** Streams imported at the same time. @default 4 */
  readonly concurrency?: number;
  /** Registry client options (timeouts, retries). @default - the registry client's */
  readonly registry?: ResolveOptions;
  /**
   * Waits before trying a tag again whose registry had not caught up with its push (doubling).
   * @default [100, 200, 400, 800, 1600]
   */
  readonly catchUpDelaysMs?: readonly number[];
  /** Told of each import made (tests and the bench time it). */
  readonly onImported?: (key: string, tags: readonly string[], report: ImportReport) => void;
}

const CATCH_UP_DELAYS_MS = [100, 200, 400, 800, 1600];

/**
 * Imports the tags that push events name, now, with the importer's own code: the stream's pull
 * secrets, a HEAD, and a GET that verifies any digest the tag has not recorded (the event says only
 * that something moved; the digest it may name is never recorded). Per stream, tags nudged while an
 * import of it waits are merged into it, and tags nudged while it runs make one import after it: a
 * burst of pushes costs one import per stream in flight.
 *
 * Registries notify as they store a manifest, which can be before the tag points at it (distribution
 * links the tag after it has sent the event): a tag whose import found no manifest, or not yet the
 * digest its event named, is tried again after 0.1, 0.2, 0.4, 0.8 and 1.6 s, then left to its schedule
 * — a forged event can so cost at most six HEADs.
 *
 * Runs on every replica (a standby that receives a delivery imports it: status writes are optimistic,
 * so two importers never lose each other's items).
 */
export class PushImporter {
  private readonly waiting = new Map<string, Map<string, string | undefined>>();
  private readonly running = new Set<string>();
  private readonly queue: string[] = [];
  /** Tries made of a tag whose registry had not caught up yet, by `stream key:tag@digest`. */
  private readonly catchingUp = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private active = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: PushImporterOptions) {}

  /** Asks for an import of `tags` of `namespace/stream`. */
  nudge(namespace: string, stream: string, tags: readonly NudgedTag[]): void {
    const key = `${namespace}/${stream}`;
    const waiting = this.waiting.get(key);
    if (waiting) return void tags.forEach((t) => waiting.set(t.tag, t.digest ?? waiting.get(t.tag)));
    this.waiting.set(key, new Map(tags.map((t) => [t.tag, t.digest])));
    if (!this.running.has(key)) this.queue.push(key);
    this.pump();
  }

  /** Resolves once nothing is waiting, running or about to be tried again. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops the tries waiting for a registry to catch up. */
  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.settle();
  }

  private isIdle(): boolean {
    return this.active === 0 && this.queue.length === 0 && this.timers.size === 0;
  }

  private settle(): void {
    if (this.isIdle()) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private pump(): void {
    while (this.active < (this.options.concurrency ?? 4) && this.queue.length > 0) {
      const key = this.queue.shift()!;
      const tags = this.waiting.get(key) ?? new Map<string, string | undefined>();
      this.waiting.delete(key);
      this.running.add(key);
      this.active++;
      void this.importNow(key, tags).finally(() => {
        this.running.delete(key);
        this.active--;
        if (this.waiting.has(key)) this.queue.push(key); // nudged while it ran
        this.pump();
        this.settle();
      });
    }
  }

  private async importNow(key: string, tags: ReadonlyMap<string, string | undefined>): Promise<void> {
    const [namespace, stream] = key.split('/');
    const { client, events, log, registry } = this.options;
    try {
      const report = await importStream(client, { namespace, stream, tags: [...tags.keys()], registry });
      await reportImport(events, log, key, report, 'push');
      this.catchUp(namespace, stream, tags, report.results);
      this.options.onImported?.(key, [...tags.keys()], report);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return;
      log.log('warn', 'import on push failed', { stream: key, tags: [...tags.keys()], error: errorText(error) });
    }
  }

  /** Tries again, later, each tag whose registry had not caught up with the push that named it. */
  private catchUp(namespace: string, stream: string, tags: ReadonlyMap<string, string | undefined>, results: readonly TagImportResult[]): void {
    const delays = this.options.catchUpDelaysMs ?? CATCH_UP_DELAYS_MS;
    for (const result of results) {
      if (!tags.has(result.tag)) continue;
      const digest = tags.get(result.tag);
      const id = `${namespace}/${stream}:${result.tag}@${digest ?? ''}`;
      const behind = result.ok ? digest !== undefined && result.image !== digest && result.indexDigest !== digest : result.reason === 'NotFound';
      const tries = this.catchingUp.get(id) ?? 0;
      if (!behind || tries >= delays.length) {
        this.catchingUp.delete(id);
        continue;
      }
      this.catchingUp.set(id, tries + 1);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.nudge(namespace, stream, [{ tag: result.tag, ...(digest ? { digest } : {}) }]);
        this.settle();
      }, delays[tries]);
      timer.unref?.();
      this.timers.add(timer);
    }
    if (this.catchingUp.size > 10_000) this.catchingUp.clear();
  }
}
