import { reportImport } from '../importer/report-import';
import { StreamNotFoundError } from '../imagestreams/streams';
import { importStream, type ImportReport } from '../importer/import-stream';
import type { KubeClient } from '../kube/client';
import type { EventRecorder } from '../machinery/events';
import { errorText, type Logger } from '../machinery/logger';
import type { ResolveOptions } from '../registry/options';

export interface PushImporterOptions {
  readonly client: KubeClient;
  readonly events: EventRecorder;
  readonly log: Logger;
  /** Streams imported at the same time. @default 4 */
  readonly concurrency?: number;
  /** Registry client options (timeouts, retries). @default - the registry client's */
  readonly registry?: ResolveOptions;
  /** Told of each import made (tests and the bench time it). */
  readonly onImported?: (key: string, tags: readonly string[], report: ImportReport) => void;
}

/**
 * Imports the tags that push events name, now, with the importer's own code: the stream's pull
 * secrets, a HEAD, and a GET that verifies any digest the tag has not recorded (the event says only
 * that something moved, never to what). Per stream, tags nudged while an import of it waits are
 * merged into it, and tags nudged while it runs make one import after it: a burst of pushes costs one
 * import per stream in flight. Runs on every replica (a standby that receives a delivery imports it:
 * status writes are optimistic, so two importers never lose each other's items).
 */
export class PushImporter {
  private readonly waiting = new Map<string, Set<string>>();
  private readonly running = new Set<string>();
  private readonly queue: string[] = [];
  private active = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: PushImporterOptions) {}

  /** Asks for an import of `tags` of `namespace/stream`. */
  nudge(namespace: string, stream: string, tags: readonly string[]): void {
    const key = `${namespace}/${stream}`;
    const waiting = this.waiting.get(key);
    if (waiting) return void tags.forEach((t) => waiting.add(t));
    this.waiting.set(key, new Set(tags));
    if (!this.running.has(key)) this.queue.push(key);
    this.pump();
  }

  /** Resolves once nothing is waiting or running. */
  idle(): Promise<void> {
    if (this.active === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.active < (this.options.concurrency ?? 4) && this.queue.length > 0) {
      const key = this.queue.shift()!;
      const tags = [...(this.waiting.get(key) ?? [])];
      this.waiting.delete(key);
      this.running.add(key);
      this.active++;
      void this.importNow(key, tags).finally(() => {
        this.running.delete(key);
        this.active--;
        if (this.waiting.has(key)) this.queue.push(key); // nudged while it ran
        this.pump();
        if (this.active === 0 && this.queue.length === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
    }
  }

  private async importNow(key: string, tags: readonly string[]): Promise<void> {
    const [namespace, stream] = key.split('/');
    const { client, events, log, registry } = this.options;
    try {
      const report = await importStream(client, { namespace, stream, tags, registry });
      await reportImport(events, log, key, report, 'push');
      this.options.onImported?.(key, tags, report);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return;
      log.log('warn', 'import on push failed', { stream: key, tags, error: errorText(error) });
    }
  }
}
