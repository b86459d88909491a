import type { KubeObject } from '../kube/types';

/** Index functions: the values under which an object is found, e.g. the `ns/stream`s it refers to. */
export type IndexFunc<T> = (object: T) => readonly string[];

/** `namespace/name`, or `name` for cluster-scoped objects: the key of caches and work queues. */
export function objectKey(object: KubeObject): string {
  const { namespace, name } = object.metadata;
  return namespace ? `${namespace}/${name}` : `${name}`;
}

/** An in-memory cache of one resource, with secondary indexes kept up to date on every write. */
export class ObjectStore<T extends KubeObject> {
  private readonly objects = new Map<string, T>();
  private readonly indexes = new Map<string, { fn: IndexFunc<T>; values: Map<string, Set<string>> }>();

  addIndex(name: string, fn: IndexFunc<T>): void {
    if (this.indexes.has(name)) throw new Error(`index '${name}' is already defined`);
    const index = { fn, values: new Map<string, Set<string>>() };
    this.indexes.set(name, index);
    for (const [key, object] of this.objects) this.indexAdd(index, key, object);
  }

  get(key: string): T | undefined {
    return this.objects.get(key);
  }

  get size(): number {
    return this.objects.size;
  }

  list(): IterableIterator<T> {
    return this.objects.values();
  }

  keys(): IterableIterator<string> {
    return this.objects.keys();
  }

  /** Stores the object; returns the one it replaced. */
  upsert(object: T): T | undefined {
    const key = objectKey(object);
    const old = this.objects.get(key);
    for (const index of this.indexes.values()) {
      if (old) this.indexRemove(index, key, old);
      this.indexAdd(index, key, object);
    }
    this.objects.set(key, object);
    return old;
  }

  remove(key: string): T | undefined {
    const old = this.objects.get(key);
    if (!old) return undefined;
    for (const index of this.indexes.values()) this.indexRemove(index, key, old);
    this.objects.delete(key);
    return old;
  }

  /** Objects indexed under `value` by index `name`. */
  byIndex(name: string, value: string): T[] {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`no index '${name}'`);
    return [...(index.values.get(value) ?? [])].map((key) => this.objects.get(key)!);
  }

  private indexAdd(index: { fn: IndexFunc<T>; values: Map<string, Set<string>> }, key: string, object: T): void {
    for (const value of index.fn(object)) {
      let keys = index.values.get(value);
      if (!keys) index.values.set(value, (keys = new Set()));
      keys.add(key);
    }
  }

  private indexRemove(index: { fn: IndexFunc<T>; values: Map<string, Set<string>> }, key: string, object: T): void {
    for (const value of index.fn(object)) {
      const keys = index.values.get(value);
      keys?.delete(key);
      if (keys?.size === 0) index.values.delete(value);
    }
  }
}
