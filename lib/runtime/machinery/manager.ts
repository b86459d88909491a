import type { KubeClient } from '../kube/client';
import type { KubeObject } from '../kube/types';
import { Controller, type ControllerOptions } from './controller';
import { EventRecorder } from './events';
import { Informer, type InformerSpec } from './informer';
import { LeaderElector, type LeaderElectionOptions } from './leader-election';
import { silentLogger, type Logger } from './logger';
import type { Reconciler, SetupContext } from './reconciler';

export interface ManagerOptions {
  readonly client: KubeClient;
  /** Watch only these namespaces. @default - all */
  readonly namespaces?: readonly string[];
  /** Workers per reconciler. @default 2 */
  readonly workers?: number;
  readonly maxAttempts?: number;
  readonly backoff?: ControllerOptions['backoff'];
  /** @default - no election: this replica always leads (one replica, or tests) */
  readonly leaderElection?: LeaderElectionOptions;
  /** @default 600_000 */
  readonly resyncMs?: number;
  /** Names the writer in Events. @default 'imagestreams-controller' */
  readonly component?: string;
  readonly log?: Logger;
  /** Called once every informer has listed. */
  readonly onSynced?: () => void;
}

type Rewatch = () => void;

/**
 * Runs reconcilers over shared informers, as controller-runtime's manager: caches are filled on
 * every replica (a standby is warm), workers run only on the leader.
 */
export class Manager {
  readonly events: EventRecorder;
  readonly log: Logger;
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private readonly controllers: { controller: Controller; rewatch: Rewatch[] }[] = [];
  private elector?: LeaderElector;
  private markSynced!: () => void;
  /** Resolves once every informer has listed (on every replica, leading or not). */
  readonly synced = new Promise<void>((resolve) => (this.markSynced = resolve));

  constructor(private readonly options: ManagerOptions) {
    this.log = options.log ?? silentLogger;
    const component = options.component ?? 'imagestreams-controller';
    this.events = new EventRecorder(options.client, component, options.leaderElection?.identity ?? component, this.log);
  }

  get isLeader(): boolean {
    return this.controllers.some((c) => c.controller.running);
  }

  add(reconciler: Reconciler): void {
    const controller = new Controller(reconciler, {
      workers: this.options.workers, maxAttempts: this.options.maxAttempts, backoff: this.options.backoff, log: this.log,
    });
    const entry = { controller, rewatch: [] as Rewatch[] };
    this.controllers.push(entry);
    reconciler.setup(this.setupContext(entry));
  }

  /** Runs until `signal` aborts: informers, then (when leading) the controllers; releases the lease at the end. */
  async run(signal: AbortSignal): Promise<void> {
    const { client, namespaces, resyncMs } = this.options;
    const informing = [...this.informers.values()].map((i) => i.run(client, { namespaces, resyncMs: resyncMs ?? 600_000, log: this.log, signal }));
    const synced = Promise.all([...this.informers.values()].map((i) => i.synced)).then(() => {
      this.log.log('info', 'caches synced', { informers: this.informers.size });
      this.markSynced();
      this.options.onSynced?.();
    });
    await Promise.race([synced, new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))]);
    if (this.options.leaderElection) await this.leadWhileElected(this.options.leaderElection, signal);
    else if (!signal.aborted) {
      this.startControllers();
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    }
    await this.stopControllers();
    await this.elector?.release();
    await Promise.all(informing);
  }

  private async leadWhileElected(options: LeaderElectionOptions, signal: AbortSignal): Promise<void> {
    this.elector = new LeaderElector(this.options.client, options, this.log);
    while (await this.elector.acquire(signal)) {
      this.startControllers();
      const outcome = await this.elector.hold(signal);
      if (outcome === 'stopped') return;
      await this.stopControllers(); // lost: back to being a candidate
    }
  }

  private startControllers(): void {
    for (const { controller, rewatch } of this.controllers) {
      controller.start();
      for (const enqueueAll of rewatch) enqueueAll();
    }
  }

  private async stopControllers(): Promise<void> {
    await Promise.all(this.controllers.map(({ controller }) => controller.stop()));
  }

  private informer<T extends KubeObject>(spec: InformerSpec<T>): Informer<T> {
    const id = `${spec.apiVersion}/${spec.resource}`;
    const existing = this.informers.get(id) as Informer<T> | undefined;
    if (existing) {
      existing.extend(spec);
      return existing;
    }
    const created = new Informer<T>(spec);
    this.informers.set(id, created as unknown as Informer<KubeObject>);
    return created;
  }

  private setupContext(entry: { controller: Controller; rewatch: Rewatch[] }): SetupContext {
    const { controller } = entry;
    return {
      client: this.options.client,
      events: this.events,
      log: this.log,
      informer: (spec) => this.informer(spec),
      watch: (informer, toKeys) => {
        const enqueue = (keys: Iterable<string>) => {
          if (controller.running) for (const key of keys) controller.enqueue(key);
        };
        informer.addHandler({ onChange: (object, old) => enqueue(toKeys(object, old)), onDelete: (object) => enqueue(toKeys(object, undefined)) });
        entry.rewatch.push(() => {
          for (const object of informer.store.list()) enqueue(toKeys(object, undefined));
        });
      },
    };
  }
}
