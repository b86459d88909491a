import { NOTIFIERS, PIPELINERUNS } from '../../api/group';
import { streamInformer, workloadInformer } from '../caches/informers';
import type { ImageStreamObject } from '../../api/imagestream';
import type { NotifierObject } from '../../api/notifier';
import type { PipelineRun } from '../../api/pipeline-run';
import { WORKLOAD_KINDS } from '../../api/workload-kinds';
import type { KubeObject } from '../kube/types';
import type { EventRecorder } from '../machinery/events';
import type { Informer } from '../machinery/informer';
import { errorText, type Logger } from '../machinery/logger';
import type { Reconciler, SetupContext } from '../machinery/reconciler';
import { buildEvents, imageEvents, rolloutEvents, type NotificationEvent } from './events';
import { render } from './formats';
import { DeliveryError, send } from './send';
import { TargetCache, TargetUnavailableError } from './targets';

type Notifier = NotifierObject & KubeObject;

export interface NotificationReconcilerOptions {
  /** Whether this replica leads: only the leader notifies, once. */
  readonly leading: () => boolean;
  /** The system namespace: only a Notifier there may take `allNamespaces`. */
  readonly systemNamespace?: string;
  /** Per delivery. @default 10_000 */
  readonly timeoutMs?: number;
  /** Deliveries waiting at most; the oldest are dropped past it. @default 10_000 */
  readonly maxPending?: number;
}

/**
 * Sends notifications: it sees each change of streams, build runs and workloads that follow tags
 * (the informers every replica keeps), makes the events of it (a new imported image, a build
 * starting, succeeding or failing, a rollout to a new image), and, on the leader, queues one delivery
 * per event and matching Notifier. A delivery that fails for a reason that may pass (5xx, 429, the
 * network, a missing Secret) is retried by the work queue with back-off, up to its attempts; one the
 * receiver refuses (4xx) is not. Each is told of by a Warning Event `NotificationFailed` on its
 * Notifier when it is given up. The URL is never logged.
 */
export class NotificationReconciler implements Reconciler {
  readonly name = 'notifications';
  private notifiers!: Informer<Notifier>;
  private events!: EventRecorder;
  private log!: Logger;
  private targets!: TargetCache;
  private readonly pending = new Map<string, { notifier: string; event: NotificationEvent }>();
  private readonly sent = new Set<string>();

  constructor(private readonly options: NotificationReconcilerOptions) {}

  setup(ctx: SetupContext): void {
    ({ events: this.events, log: this.log } = ctx);
    this.targets = new TargetCache(ctx.client);
    this.notifiers = ctx.informer<Notifier>({ ...NOTIFIERS });
    ctx.watch(streamInformer(ctx), (next, old) => this.queue(() => imageEvents(old, next)));
    ctx.watch(ctx.informer<PipelineRun>({ ...PIPELINERUNS }), (next, old) => this.queue(() => buildEvents(old, next)));
    for (const kind of WORKLOAD_KINDS) {
      ctx.watch(workloadInformer(ctx, kind), (next, old) => this.queue(() => rolloutEvents(kind, old, next)));
    }
  }

  /** One key per event and Notifier it matches, `<notifier ns>/<name>#<event id>`: on the leader only. */
  private queue(make: () => NotificationEvent[]): string[] {
    if (!this.options.leading()) return [];
    const keys: string[] = [];
    for (const event of make()) {
      for (const notifier of this.notifiers.store.list()) {
        if (!this.matches(notifier, event)) continue;
        const key = `${notifier.metadata.namespace}/${notifier.metadata.name}#${event.id}`;
        if (this.sent.has(key) || this.pending.has(key)) continue;
        this.pending.set(key, { notifier: `${notifier.metadata.namespace}/${notifier.metadata.name}`, event });
        keys.push(key);
      }
    }
    for (const key of this.pending.keys()) {
      if (this.pending.size <= (this.options.maxPending ?? 10_000)) break;
      this.pending.delete(key);
      this.log.log('warn', 'notification dropped: too many waiting', { key });
    }
    return keys;
  }

  private matches(notifier: Notifier, event: NotificationEvent): boolean {
    const { spec, metadata } = notifier;
    const everywhere = spec.allNamespaces === true && metadata.namespace === this.options.systemNamespace;
    if (metadata.namespace !== event.namespace && !everywhere) return false;
    if (spec.events?.length && !spec.events.includes(event.type)) return false;
    return !spec.sources?.length || spec.sources.some((s) => s.kind === event.source.kind && s.name === event.source.name);
  }

  async reconcile(key: string): Promise<void> {
    const entry = this.pending.get(key);
    if (!entry) return;
    const [namespace, name] = entry.notifier.split('/');
    const notifier = this.notifiers.get(namespace, name);
    if (!notifier) return void this.pending.delete(key);
    const target = await this.targets.target(namespace, notifier.spec.secretRef.name); // unavailable: thrown, retried
    try {
      await send(target.address, render(notifier.spec.type, entry.event), { token: target.token, timeoutMs: this.options.timeoutMs });
    } catch (error) {
      if (error instanceof DeliveryError && !error.retryable) {
        this.pending.delete(key);
        return this.failed(notifier, entry.event, error);
      }
      throw error;
    }
    this.pending.delete(key);
    this.remember(key);
    this.log.log('info', 'notified', { notifier: entry.notifier, type: entry.event.type, event: entry.event.id });
  }

  async giveUp(key: string, error: unknown): Promise<void> {
    const entry = this.pending.get(key);
    this.pending.delete(key);
    if (!entry) return;
    const [namespace, name] = entry.notifier.split('/');
    const notifier = this.notifiers.get(namespace, name);
    if (notifier) await this.failed(notifier, entry.event, error);
  }

  private async failed(notifier: Notifier, event: NotificationEvent, error: unknown): Promise<void> {
    const why = error instanceof DeliveryError || error instanceof TargetUnavailableError ? error.message : errorText(error);
    await this.events.record(notifier, 'Warning', 'NotificationFailed', `${event.type} (${event.message}) was not delivered: ${why}`);
  }

  private remember(key: string): void {
    if (this.sent.size >= 50_000) this.sent.clear();
    this.sent.add(key);
  }
}
