import type { StreamRegistryDefaults } from '../../api/repository-path';
import type { KubeClient } from '../kube/client';
import type { KubeObject } from '../kube/types';
import type { EventRecorder } from './events';
import type { Informer, InformerSpec } from './informer';
import type { Logger } from './logger';

/** What a reconcile may ask for besides success. */
export interface ReconcileResult {
  /** Reconcile this key again after this long (e.g. to poll something no watch tells about). */
  readonly requeueAfterMs?: number;
}

/**
 * One kind of work, in controller-runtime's shape. reconcile(key) is level-based: it reads the
 * world from the informers' caches, computes what should be, and makes it so; it must be safe to
 * repeat at any time. Throwing means "retry later" (with back-off, a bounded number of times).
 */
export interface Reconciler {
  /** Names the reconciler in logs and metrics, e.g. 'workload-triggers'. */
  readonly name: string;
  /** Called once before the manager starts: get informers and say which changes enqueue which keys. */
  setup(ctx: SetupContext): void;
  reconcile(key: string): Promise<ReconcileResult | void>;
  /** The namespace a key is of, which shards the work (lib/api/sharding). @default - the key up to its first '/' */
  namespaceOf?(key: string): string;
  /** The key failed maxAttempts times in a row and will not be retried until it changes: explain it. */
  giveUp?(key: string, error: unknown): Promise<void>;
}

export interface SetupContext {
  readonly client: KubeClient;
  readonly events: EventRecorder;
  readonly log: Logger;
  /** The System's registry (`--stream-registry`), when the controller was given it. */
  readonly streamRegistry?: StreamRegistryDefaults;
  /** The shared informer of a resource (created on first use); its transform and indexes are added. */
  informer<T extends KubeObject>(spec: InformerSpec<T>): Informer<T>;
  /**
   * Enqueues the keys that `toKeys` maps each change of `informer` to (deletions come with
   * `old` undefined). Every cached object is mapped again whenever this replica starts leading.
   */
  watch<T extends KubeObject>(informer: Informer<T>, toKeys: (object: T, old: T | undefined) => Iterable<string>): void;
}
