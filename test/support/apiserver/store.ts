/**
 * The in-memory object store: objects indexed by resource and namespace, one global
 * resourceVersion counter, a bounded event history for watch resume, and live subscribers.
 */
import { KubeObject } from './types';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: EventType;
  /** resourceKey of the object's resource (`deployments.apps`). */
  resource: string;
  rv: number;
  object: KubeObject;
  /** The state before a MODIFIED event (watch filters need both to turn edges into ADDED/DELETED). */
  previous?: KubeObject;
}

export type Subscriber = (e: StoreEvent) => void;

interface Location {
  resource: string;
  namespace: string;
  name: string;
}

export class Store {
  /** resource -> namespace ('' for cluster-scoped) -> name -> object. Stored objects are never mutated. */
  private readonly objects = new Map<string, Map<string, Map<string, KubeObject>>>();
  private readonly byUid = new Map<string, Location>();
  /** owner uid -> dependent uids */
  private readonly dependents = new Map<string, Set<string>>();
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  private history: StoreEvent[] = [];
  private rv = 1;
  /** Events at or before this resourceVersion are no longer replayable. */
  private compactedRv = 1;

  constructor(readonly historyWindow = 1000) {}

  currentRv(): number {
    return this.rv;
  }

  nextRv(): number {
    return ++this.rv;
  }

  get(resource: string, namespace: string, name: string): KubeObject | undefined {
    return this.objects.get(resource)?.get(namespace)?.get(name);
  }

  /** Objects of one namespace, or all namespaces when undefined; sorted like etcd keys. */
  list(resource: string, namespace?: string): KubeObject[] {
    const byNs = this.objects.get(resource);
    if (!byNs) return [];
    const namespaces = namespace === undefined ? [...byNs.keys()].sort() : [namespace];
    const out: KubeObject[] = [];
    for (const ns of namespaces) {
      const names = byNs.get(ns);
      if (!names) continue;
      for (const name of [...names.keys()].sort()) out.push(names.get(name) as KubeObject);
    }
    return out;
  }

  countIn(resource: string, namespace: string): number {
    return this.objects.get(resource)?.get(namespace)?.size ?? 0;
  }

  locate(uid: string): KubeObject | undefined {
    const loc = this.byUid.get(uid);
    return loc && this.get(loc.resource, loc.namespace, loc.name);
  }

  resourceOf(uid: string): string | undefined {
    return this.byUid.get(uid)?.resource;
  }

  dependentsOf(uid: string): KubeObject[] {
    return [...(this.dependents.get(uid) ?? [])].map((d) => this.locate(d)).filter((o): o is KubeObject => o !== undefined);
  }

  /** Stores an object whose metadata.resourceVersion the caller set from nextRv(). */
  put(resource: string, obj: KubeObject, type: 'ADDED' | 'MODIFIED'): void {
    const ns = obj.metadata.namespace ?? '';
    const name = obj.metadata.name ?? '';
    const previous = this.get(resource, ns, name);
    if (previous) this.unindexOwners(previous);
    let byNs = this.objects.get(resource);
    if (!byNs) this.objects.set(resource, (byNs = new Map()));
    let names = byNs.get(ns);
    if (!names) byNs.set(ns, (names = new Map()));
    names.set(name, obj);
    const uid = obj.metadata.uid ?? '';
    this.byUid.set(uid, { resource, namespace: ns, name });
    for (const ref of obj.metadata.ownerReferences ?? []) {
      let set = this.dependents.get(ref.uid);
      if (!set) this.dependents.set(ref.uid, (set = new Set()));
      set.add(uid);
    }
    this.record({ type, resource, rv: Number(obj.metadata.resourceVersion), object: obj, previous });
  }

  /** Removes an object; `final` is its last state carrying the deletion's resourceVersion. */
  remove(resource: string, final: KubeObject): void {
    const ns = final.metadata.namespace ?? '';
    const name = final.metadata.name ?? '';
    const previous = this.get(resource, ns, name);
    if (!previous) return;
    this.unindexOwners(previous);
    this.objects.get(resource)?.get(ns)?.delete(name);
    this.byUid.delete(previous.metadata.uid ?? '');
    this.record({ type: 'DELETED', resource, rv: Number(final.metadata.resourceVersion), object: final });
  }

  private unindexOwners(obj: KubeObject): void {
    for (const ref of obj.metadata.ownerReferences ?? []) this.dependents.get(ref.uid)?.delete(obj.metadata.uid ?? '');
  }

  private record(e: StoreEvent): void {
    this.history.push(e);
    if (this.history.length >= 2 * this.historyWindow) {
      const dropped = this.history.length - this.historyWindow;
      this.compactedRv = this.history[dropped - 1].rv;
      this.history = this.history.slice(dropped);
    }
    for (const s of this.subscribers.get(e.resource) ?? []) s(e);
  }

  /** Events of a resource after `rv`, or undefined when `rv` is older than the kept history. */
  eventsSince(resource: string, rv: number): StoreEvent[] | undefined {
    if (rv < this.oldestResumableRv()) return undefined;
    let lo = 0;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.history[mid].rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return this.history.slice(lo).filter((e) => e.resource === resource);
  }

  /** Only the last `historyWindow` events are promised, even while more are still buffered. */
  private oldestResumableRv(): number {
    const n = this.history.length;
    const beforeWindow = n > this.historyWindow ? this.history[n - this.historyWindow - 1].rv : 0;
    return Math.max(beforeWindow, this.compactedRv);
  }

  /** Test hook: every resourceVersion older than the current one becomes too old (410). */
  expireHistory(): void {
    this.history = [];
    this.compactedRv = this.rv;
  }

  /** How many watches follow a resource (tests wait for a watch to be open before acting). */
  subscriberCount(resource: string): number {
    return this.subscribers.get(resource)?.size ?? 0;
  }

  subscribe(resource: string, s: Subscriber): () => void {
    let set = this.subscribers.get(resource);
    if (!set) this.subscribers.set(resource, (set = new Set()));
    set.add(s);
    return () => set?.delete(s);
  }
}
