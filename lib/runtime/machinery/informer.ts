import type { KubeClient } from '../kube/client';
import { NotFoundError } from '../kube/errors';
import { listAndWatch } from '../kube/informer';
import type { KubeObject, WatchEvent } from '../kube/types';
import { sleep } from '../kube/watch';
import { errorText, type Logger } from './logger';
import { objectKey, ObjectStore, type IndexFunc } from './object-store';

/** Which objects an informer caches. */
export interface InformerSpec<T extends KubeObject> {
  readonly apiVersion: string;
  readonly resource: string;
  /**
   * Applied to each object as it arrives (page by page when listing), before it is cached: drop what
   * no reconciler reads, to save memory. Several users' transforms run in turn; one function given
   * twice runs once.
   */
  readonly transform?: (object: T) => T;
  readonly indexes?: Readonly<Record<string, IndexFunc<T>>>;
}

export interface InformerHandler<T extends KubeObject> {
  /** Added or modified; `old` is the cached object before (the same object on a resync). */
  onChange(object: T, old: T | undefined): void;
  onDelete(object: T): void;
}

export interface InformerRunOptions {
  /** @default - all namespaces */
  readonly namespaces?: readonly string[];
  /** Re-deliver every cached object this often so that reconcilers heal drift. @default 0 (never) */
  readonly resyncMs?: number;
  readonly watchTimeoutSeconds?: number;
  /** Objects per page of a list. @default 500 */
  readonly pageSize?: number;
  readonly log: Logger;
  readonly signal: AbortSignal;
}

/**
 * A cache of one resource kept current by list+watch (one per namespace, or one for all), with
 * indexes, and handlers told of every change: client-go's shared informer in small.
 */
export class Informer<T extends KubeObject> {
  readonly store = new ObjectStore<T>();
  private readonly handlers: InformerHandler<T>[] = [];
  private readonly syncedScopes = new Set<string>();
  private syncedResolve!: () => void;
  readonly synced = new Promise<void>((resolve) => (this.syncedResolve = resolve));
  private transforms: ((object: T) => T)[] = [];

  constructor(readonly spec: InformerSpec<T>) {
    this.extend(spec);
  }

  /** Adds another user's transform and indexes (shared informers serve several reconcilers). */
  extend(spec: InformerSpec<T>): void {
    if (spec.transform && !this.transforms.includes(spec.transform)) this.transforms.push(spec.transform);
    for (const [name, fn] of Object.entries(spec.indexes ?? {})) this.store.addIndex(name, fn);
  }

  addHandler(handler: InformerHandler<T>): void {
    this.handlers.push(handler);
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.store.get(namespace ? `${namespace}/${name}` : name);
  }

  /** Runs until options.signal aborts; failures of the watch are logged and retried, never thrown. */
  async run(client: KubeClient, options: InformerRunOptions): Promise<void> {
    const scopes = options.namespaces?.length ? options.namespaces : [undefined];
    const resync = options.resyncMs ? setInterval(() => this.resync(), options.resyncMs) : undefined;
    try {
      await Promise.all(scopes.map((namespace) => this.runScope(client, namespace, scopes.length, options)));
    } finally {
      clearInterval(resync);
    }
  }

  private async runScope(client: KubeClient, namespace: string | undefined, scopeCount: number, options: InformerRunOptions): Promise<void> {
    const resource = client.resource<T>({ apiVersion: this.spec.apiVersion, resource: this.spec.resource, namespace });
    let delayMs = 500;
    while (!options.signal.aborted) {
      try {
        await listAndWatch(resource, {
          onSync: (items) => {
            this.replace(namespace, items);
            this.syncedScopes.add(namespace ?? '');
            if (this.syncedScopes.size === scopeCount) this.syncedResolve();
            delayMs = 500;
          },
          onEvent: (event) => this.apply(event),
        }, { signal: options.signal, timeoutSeconds: options.watchTimeoutSeconds, transform: (object) => this.transform(object), pageSize: options.pageSize });
      } catch (error) {
        // A resource the server does not serve (Tekton not installed): empty until it is, so that
        // the other reconcilers are not held back by a cache that can never list.
        if (error instanceof NotFoundError && !this.syncedScopes.has(namespace ?? '')) this.markSyncedEmpty(namespace, scopeCount);
        options.log.log('warn', 'list+watch failed; retrying', { resource: this.spec.resource, namespace, error: errorText(error), retryMs: delayMs });
        await sleep(delayMs, options.signal);
        delayMs = Math.min(delayMs * 2, 30_000);
      }
    }
  }

  private markSyncedEmpty(namespace: string | undefined, scopeCount: number): void {
    this.replace(namespace, []);
    this.syncedScopes.add(namespace ?? '');
    if (this.syncedScopes.size === scopeCount) this.syncedResolve();
  }

  /** A (re)list: the complete state of one scope. Cached objects missing from it were deleted. */
  private replace(namespace: string | undefined, items: T[]): void {
    const seen = new Set<string>();
    for (const item of items) {
      seen.add(objectKey(item));
      this.apply({ type: 'MODIFIED', object: item });
    }
    for (const key of [...this.store.keys()]) {
      const object = this.store.get(key)!;
      if (seen.has(key) || (namespace && object.metadata.namespace !== namespace)) continue;
      this.apply({ type: 'DELETED', object });
    }
  }

  private apply(event: WatchEvent<T>): void {
    if (event.type === 'DELETED') {
      const old = this.store.remove(objectKey(event.object));
      if (old) for (const handler of this.handlers) handler.onDelete(old);
      return;
    }
    const object = event.object;
    const old = this.store.upsert(object);
    if (old?.metadata.resourceVersion === object.metadata.resourceVersion) return; // a relist of what we have
    for (const handler of this.handlers) handler.onChange(object, old);
  }

  private transform(object: T): T {
    return this.transforms.reduce((o, transform) => transform(o), object);
  }

  private resync(): void {
    for (const object of this.store.list()) {
      for (const handler of this.handlers) handler.onChange(object, object);
    }
  }
}
