import { describe, expect, it } from 'vitest';
import { Store } from './store';
import { KubeObject } from './types';

function obj(name: string, rv: number, namespace = 'ns', owners: string[] = []): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, uid: `uid-${name}`, resourceVersion: String(rv), ownerReferences: owners.map((uid) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: uid, uid })) },
  };
}

function put(s: Store, name: string, namespace = 'ns', owners: string[] = []): KubeObject {
  const o = obj(name, s.nextRv(), namespace, owners);
  s.put('configmaps', o, 'ADDED');
  return o;
}

describe('Store', () => {
  it('lists one namespace or all, sorted by namespace then name', () => {
    const s = new Store();
    put(s, 'b');
    put(s, 'a', 'other');
    put(s, 'a');
    expect(s.list('configmaps', 'ns').map((o) => o.metadata.name)).toEqual(['a', 'b']);
    expect(s.list('configmaps').map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['ns/a', 'ns/b', 'other/a']);
  });

  it('finds objects by uid and dependents by owner uid', () => {
    const s = new Store();
    put(s, 'owner');
    put(s, 'child', 'ns', ['uid-owner']);
    expect(s.locate('uid-child')?.metadata.name).toBe('child');
    expect(s.dependentsOf('uid-owner').map((o) => o.metadata.name)).toEqual(['child']);
  });

  it('replays events of one resource after a resourceVersion', () => {
    const s = new Store();
    const a = put(s, 'a');
    put(s, 'b');
    s.put('secrets', obj('x', s.nextRv()), 'ADDED');
    expect(s.eventsSince('configmaps', Number(a.metadata.resourceVersion))?.map((e) => e.object.metadata.name)).toEqual(['b']);
  });

  it('refuses to replay from before the history window', () => {
    const s = new Store(2);
    const a = put(s, 'a');
    put(s, 'b');
    put(s, 'c');
    const c = put(s, 'd');
    expect(s.eventsSince('configmaps', Number(a.metadata.resourceVersion))).toBeUndefined();
    expect(s.eventsSince('configmaps', Number(c.metadata.resourceVersion) - 1)?.length).toBe(1);
  });

  it('expireHistory makes every older resourceVersion too old but keeps the current one', () => {
    const s = new Store();
    const a = put(s, 'a');
    put(s, 'b');
    s.expireHistory();
    expect(s.eventsSince('configmaps', Number(a.metadata.resourceVersion))).toBeUndefined();
    expect(s.eventsSince('configmaps', s.currentRv())).toEqual([]);
  });

  it('notifies subscribers of their resource only', () => {
    const s = new Store();
    const seen: string[] = [];
    s.subscribe('configmaps', (e) => seen.push(`${e.type} ${e.object.metadata.name}`));
    put(s, 'a');
    s.put('secrets', obj('x', s.nextRv()), 'ADDED');
    s.remove('configmaps', obj('a', s.nextRv()));
    expect(seen).toEqual(['ADDED a', 'DELETED a']);
  });
});
