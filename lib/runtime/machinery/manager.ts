import type { KubeClient } from '../kube/client';
import type { KubeObject } from '../kube/types';
import { Controller, type ControllerOptions } from './controller';
import { EventRecorder } from './events';
import { Informer, type InformerSpec } from './informer';
import { LeaderElector, type LeaderElectionOptions } from './leader-election';
import { shardingProblem, shardLeaseName, shardOf } from '../../api/sharding';
import { silentLogger, type Logger } from './logger';
import type { Reconciler, SetupContext } from './reconciler';
import type { StreamRegistryDefaults } from '../../api/repository-path';

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
  /** Objects per page of the informers' lists: the smaller, the less a list holds at once before it is slimmed. @default 100 */
  readonly pageSize?: number;
  /** Names the writer in Events. @default 'imagestreams-controller' */
  readonly component?: string;
  readonly log?: Logger;
  /** Called once every informer has listed. */
  readonly onSynced?: () => void;
  /**
   * This replica is one of `shards`, at home in shard `shard`: it reconciles the namespaces of the
   * shards whose Leases it holds (lib/api/sharding), its own first; another shard's it takes only
   * `takeoverAfterMs` after that lease expired, and gives back when a replica of that shard asks.
   * Needs leaderElection. @default - one shard: every namespace, one Lease
   */
  readonly sharding?: { readonly shards: number; readonly shard: number; readonly takeoverAfterMs?: number };
  /** The System's registry, for the reconcilers to read streams without spec.imageRepository by. @default - none */
  readonly streamRegistry?: StreamRegistryDefaults;
}

/** Enqueues every cached object's keys of one shard. */
type Rewatch = (shard: number) => void;

interface Entry {
  readonly reconciler: Reconciler;
  /** The shards this replica works on now, each with its own queue and workers. */
  readonly controllers: Map<number, Controller>;
  readonly rewatch: Rewatch[];
}

/**
 * Runs reconcilers over shared informers, as controller-runtime's manager: caches are filled on
 * every replica (a standby is warm), workers run only on the leader.
 */
export class Manager {
  readonly events: EventRecorder;
  readonly log: Logger;
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private readonly entries: Entry[] = [];
  private readonly electors: LeaderElector[] = [];
  private readonly shards: number;
  private markSynced!: () => void;
  /** Resolves once every informer has listed (on every replica, leading or not). */
  readonly synced = new Promise<void>((resolve) => (this.markSynced = resolve));

  constructor(private readonly options: ManagerOptions) {
    this.log = options.log ?? silentLogger;
    const component = options.component ?? 'imagestreams-controller';
    this.events = new EventRecorder(options.client, component, options.leaderElection?.identity ?? component, this.log);
    this.shards = options.sharding?.shards ?? 1;
    const problem = options.sharding && (shardingProblem(options.sharding.shards, options.sharding.shard) ?? (options.leaderElection ? undefined : 'sharding needs leader election'));
    if (problem) throw new Error(problem);
  }

  /** Whether this replica leads at least one shard (the only one, unsharded). */
  get isLeader(): boolean {
    return this.entries.some((e) => [...e.controllers.values()].some((c) => c.running));
  }

  /** The shards this replica works on now, in order. */
  get heldShards(): number[] {
    return [...new Set(this.entries.flatMap((e) => [...e.controllers.keys()]))].sort((a, b) => a - b);
  }

  add(reconciler: Reconciler): void {
    const entry: Entry = { reconciler, controllers: new Map(), rewatch: [] };
    this.entries.push(entry);
    reconciler.setup(this.setupContext(entry));
  }

  /** The shard of a key: of its namespace (Reconciler.namespaceOf, else the key up to its first '/'). */
  private shardOfKey(reconciler: Reconciler, key: string): number {
    if (this.shards === 1) return 0;
    return shardOf(reconciler.namespaceOf?.(key) ?? key.slice(0, Math.max(0, key.indexOf('/'))), this.shards);
  }

  /** Runs until `signal` aborts: informers, then (when leading) the controllers; releases the lease at the end. */
  async run(signal: AbortSignal): Promise<void> {
    const { client, namespaces, resyncMs } = this.options;
    const informing = [...this.informers.values()].map((i) => i.run(client, { namespaces, resyncMs: resyncMs ?? 600_000, pageSize: this.options.pageSize ?? 100, log: this.log, signal }));
    const synced = Promise.all([...this.informers.values()].map((i) => i.synced)).then(() => {
      this.log.log('info', 'caches synced', { informers: this.informers.size });
      this.markSynced();
      this.options.onSynced?.();
    });
    await Promise.race([synced, new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))]);
    const election = this.options.leaderElection;
    if (election) {
      await Promise.all(Array.from({ length: this.shards }, (_, shard) => this.leadShardWhileElected(election, shard, signal)));
    } else if (!signal.aborted) {
      this.startShard(0);
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    }
    await Promise.all(Array.from({ length: this.shards }, (_, shard) => this.stopShard(shard)));
    await Promise.all(this.electors.map((e) => e.release()));
    await Promise.all(informing);
  }

  private async leadShardWhileElected(options: LeaderElectionOptions, shard: number, signal: AbortSignal): Promise<void> {
    const sharding = this.options.sharding;
    const home = !sharding || sharding.shard === shard;
    const elector = new LeaderElector(this.options.client, {
      ...options,
      name: shardLeaseName(options.name ?? 'imagestreams-controller', shard, this.shards),
      ...(sharding ? { role: home ? 'home' : 'standIn', patienceMs: sharding.takeoverAfterMs ?? 15_000 } : {}),
    }, this.log);
    this.electors.push(elector);
    while (await elector.acquire(signal)) {
      if (sharding) this.log.log('info', home ? 'working on its shard' : 'working on another shard', { shard, shards: this.shards });
      this.startShard(shard);
      const outcome = await elector.hold(signal);
      if (outcome === 'stopped') return;
      await this.stopShard(shard); // lost (back to being a candidate) or yielded: no reconcile of it runs past this
      if (outcome === 'yielded') await elector.release();
    }
  }

  private startShard(shard: number): void {
    for (const entry of this.entries) {
      if (entry.controllers.get(shard)?.running) continue;
      const controller = new Controller(entry.reconciler, {
        workers: this.options.workers, maxAttempts: this.options.maxAttempts, backoff: this.options.backoff, log: this.log,
      });
      entry.controllers.set(shard, controller);
      controller.start();
      for (const enqueueAll of entry.rewatch) enqueueAll(shard);
    }
  }

  private async stopShard(shard: number): Promise<void> {
    await Promise.all(this.entries.map(async (entry) => {
      const controller = entry.controllers.get(shard);
      entry.controllers.delete(shard);
      await controller?.stop();
    }));
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

  private setupContext(entry: Entry): SetupContext {
    /** Each key to the queue of its shard, when this replica works on that shard; of `only` when given. */
    const enqueue = (keys: Iterable<string>, only?: number) => {
      if (entry.controllers.size === 0) return;
      for (const key of keys) {
        const shard = this.shardOfKey(entry.reconciler, key);
        if (only !== undefined && shard !== only) continue;
        const controller = entry.controllers.get(shard);
        if (controller?.running) controller.enqueue(key);
      }
    };
    return {
      client: this.options.client,
      events: this.events,
      log: this.log,
      ...(this.options.streamRegistry ? { streamRegistry: this.options.streamRegistry } : {}),
      informer: (spec) => this.informer(spec),
      watch: (informer, toKeys) => {
        informer.addHandler({ onChange: (object, old) => enqueue(toKeys(object, old)), onDelete: (object) => enqueue(toKeys(object, undefined)) });
        entry.rewatch.push((shard) => {
          for (const object of informer.store.list()) enqueue(toKeys(object, undefined), shard);
        });
      },
    };
  }
}
