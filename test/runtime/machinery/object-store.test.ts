import { describe, expect, it } from 'vitest';
import { ObjectStore, objectKey } from '../../../lib/runtime/machinery/object-store';
import type { KubeObject } from '../../../lib/runtime/kube/types';

const obj = (namespace: string | undefined, name: string, refs: string[] = []): KubeObject => ({ apiVersion: 'v1', kind: 'X', metadata: { name, namespace, annotations: { refs: refs.join(',') } } });
const refs = (o: KubeObject) => (o.metadata.annotations?.refs ? o.metadata.annotations.refs.split(',') : []);

describe('ObjectStore', () => {
  it('keys objects by namespace/name', () => {
    expect(objectKey(obj('ns', 'a'))).toBe('ns/a');
    expect(objectKey(obj(undefined, 'node'))).toBe('node');
  });

  it('keeps indexes current across insert, replace and remove', () => {
    // GIVEN a store indexed by refs, with an object added before the index
    const store = new ObjectStore<KubeObject>();
    store.upsert(obj('ns', 'a', ['s1']));
    store.addIndex('refs', refs);
    store.upsert(obj('ns', 'b', ['s1', 's2']));
    expect(store.byIndex('refs', 's1').map(objectKey).sort()).toEqual(['ns/a', 'ns/b']);
    // WHEN 'b' stops referring to s1, and 'a' is removed
    const old = store.upsert(obj('ns', 'b', ['s2']));
    store.remove('ns/a');
    // THEN the index follows
    expect(old?.metadata.annotations?.refs).toBe('s1,s2');
    expect(store.byIndex('refs', 's1')).toEqual([]);
    expect(store.byIndex('refs', 's2').map(objectKey)).toEqual(['ns/b']);
    expect(store.size).toBe(1);
  });

  it('rejects unknown and duplicate indexes', () => {
    const store = new ObjectStore<KubeObject>();
    store.addIndex('refs', refs);
    expect(() => store.addIndex('refs', refs)).toThrowError("index 'refs' is already defined");
    expect(() => store.byIndex('nope', 'x')).toThrowError("no index 'nope'");
  });
});
