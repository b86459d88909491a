import { IMAGESTREAMS } from '../../../api/group';
import type { ImageStreamObject } from '../../../api/imagestream';
import { StreamNotFoundError } from '../../imagestreams/streams';
import { importStream } from '../../importer/import-stream';
import { tagsAwaitingImport } from '../../importer/select-tags';
import { repositoryImportDue } from '../../../api/repository-import';
import type { KubeClient } from '../../kube/client';
import type { KubeObject } from '../../kube/types';
import type { EventRecorder } from '../../machinery/events';
import type { Informer } from '../../machinery/informer';
import type { Logger } from '../../machinery/logger';
import { objectKey } from '../../machinery/object-store';
import type { ReconcileResult, Reconciler, SetupContext } from '../../machinery/reconciler';
import type { ResolveOptions } from '../../registry/options';
import { reportImport } from '../../importer/report-import';

type Stream = ImageStreamObject & KubeObject;

export interface ImportReconcilerOptions {
  /** Registry client options (timeouts, retries, auth cache). @default - the registry client's */
  readonly registry?: ResolveOptions;
  /** @default - the system clock */
  readonly now?: () => Date;
  /**
   * Retries of tags whose import failed for a reason that may pass (429, 5xx, a timeout, a reset or
   * unreachable registry) and that no schedule retries (`scheduled: false`, pinned). @default 5
   */
  readonly retries?: number;
  /** The wait before the first such retry; it doubles with each. @default 30_000 */
  readonly retryDelayMs?: number;
}

/** Reasons worth trying again later: the registry or the way to it, not the image or the credentials. */
const PASSING = new Set(['TooManyRequests', 'ServerError', 'Timeout', 'Unreachable', 'ConnectionReset']);

/**
 * Imports a tag as soon as it is created or its spec changes, as OpenShift does (and the tags of
 * spec.dockerImageRepository, see lib/api/repository-import.ts), rather than at the
 * next run of the stream's CronJob (which a `scheduled: false` or pinned tag never gets): the tags of
 * tagsAwaitingImport, with the importer's own code (verify before recording, the stream's pull
 * secrets, optimistic status writes). Failures are in each tag's ImportSuccess condition and in a
 * Warning Event `ImportFailed` on the stream; a passing failure of a tag no schedule retries is
 * retried here with back-off.
 */
export class ImportReconciler implements Reconciler {
  readonly name = 'imports';
  private streams!: Informer<Stream>;
  private client!: KubeClient;
  private events!: EventRecorder;
  private log!: Logger;
  /** Per stream: the tags retried after a passing failure, and the retries made. */
  private readonly retrying = new Map<string, { readonly tags: readonly string[]; readonly attempts: number; readonly at: number }>();

  constructor(private readonly options: ImportReconcilerOptions = {}) {}

  setup(ctx: SetupContext): void {
    ({ client: this.client, events: this.events, log: this.log } = ctx);
    this.streams = ctx.informer<Stream>({ ...IMAGESTREAMS });
    ctx.watch(this.streams, (stream) => (tagsAwaitingImport(stream).length > 0 || repositoryImportDue(stream) ? [objectKey(stream)] : []));
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const [namespace, name] = key.split('/');
    const stream = this.streams.get(namespace, name);
    if (!stream) return void this.retrying.delete(key);
    // A retry is due only when its back-off is over (the failed import's own status write comes back sooner).
    const pending = this.retrying.get(key);
    const retry = pending && Date.now() >= pending.at ? pending : undefined;
    const tags = [...new Set([...tagsAwaitingImport(stream).map((t) => t.name), ...(retry?.tags ?? [])])];
    const repository = repositoryImportDue(stream);
    if (tags.length === 0 && !repository) return;
    let report;
    try {
      report = await importStream(this.client, { namespace, stream: name, tags, repository, registry: this.options.registry, now: this.options.now });
    } catch (error) {
      if (error instanceof StreamNotFoundError) return;
      throw error;
    }
    await reportImport(this.events, this.log, key, report);
    return this.retryLater(key, stream, report.results, retry !== undefined);
  }

  /** An import that fails with an error of ours (not a tag's result) is told on the stream, not only logged. */
  async giveUp(key: string, error: unknown): Promise<void> {
    const [namespace, name] = key.split('/');
    const stream = this.streams.get(namespace, name);
    if (stream) await this.events.record(stream, 'Warning', 'ImportFailed', `could not import: ${error instanceof Error ? error.message : String(error)}`);
  }

  /**
   * Schedules another try of the tags that failed for a passing reason and that no CronJob retries;
   * forgets a retry (`retried`) that no longer fails so.
   */
  private retryLater(key: string, stream: Stream, results: readonly { tag: string; ok: boolean; reason?: string; cause?: string }[], retried: boolean): ReconcileResult | void {
    const scheduled = new Set((stream.spec.tags ?? []).filter((t) => t.importPolicy?.scheduled).map((t) => t.name));
    // A copy into the stream's registry that failed (MirrorFailed) is tried again when its cause may pass.
    const again = results.filter((r) => !r.ok && PASSING.has(r.cause ?? r.reason ?? '') && !scheduled.has(r.tag)).map((r) => r.tag);
    const pending = this.retrying.get(key);
    if (again.length === 0) return void (retried && this.retrying.delete(key));
    const attempts = pending?.attempts ?? 0;
    if (attempts >= (this.options.retries ?? 5)) {
      this.retrying.delete(key);
      return void this.log.log('warn', 'import retries exhausted', { stream: key, tags: again });
    }
    const delay = (this.options.retryDelayMs ?? 30_000) * 2 ** attempts;
    const tags = [...new Set([...(retried ? [] : pending?.tags ?? []), ...again])];
    this.retrying.set(key, { tags, attempts: attempts + 1, at: Date.now() + delay });
    return { requeueAfterMs: delay };
  }
}
