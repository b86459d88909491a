import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Informer } from '../../../lib/runtime/machinery/informer';
import { silentLogger } from '../../../lib/runtime/machinery/logger';
import { createClient, type KubeClient } from '../../../lib/runtime/kube/client';
import type { KubeObject } from '../../../lib/runtime/kube/types';
import { startApiServer, type ApiServer } from '../../support/apiserver';
import { eventually } from '../controller/eventually';

describe('Informer', () => {
  let api: ApiServer;
  let kube: KubeClient;
  beforeAll(async () => {
    api = await startApiServer();
    kube = createClient({ server: api.url, namespace: 'default' });
    await kube.resource({ apiVersion: 'v1', resource: 'namespaces' }).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
  });
  afterAll(async () => {
    kube.close();
    await api.close();
  });

  const configMaps = (namespace: string) => kube.resource({ apiVersion: 'v1', resource: 'configmaps', namespace });
  const cm = (name: string, ref: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { ref, big: 'x'.repeat(100) } });

  it('lists, follows changes, keeps indexes and transforms, and relists after 410', async () => {
    // GIVEN two config maps in 'default' and one in 'other', and an informer on 'default' only
    await configMaps('default').create(cm('a', 'r1'));
    await configMaps('default').create(cm('b', 'r1'));
    await configMaps('other').create(cm('c', 'r1'));
    const informer = new Informer<KubeObject>({
      apiVersion: 'v1', resource: 'configmaps',
      transform: (o) => ({ ...o, data: { ref: (o.data as Record<string, string>).ref } }),
      indexes: { ref: (o) => [(o.data as Record<string, string>).ref] },
    });
    const seen: string[] = [];
    informer.addHandler({ onChange: (o, old) => seen.push(`${old ? 'update' : 'add'} ${o.metadata.name}`), onDelete: (o) => seen.push(`delete ${o.metadata.name}`) });
    const abort = new AbortController();
    const running = informer.run(kube, { namespaces: ['default'], log: silentLogger, signal: abort.signal });
    await informer.synced;
    // THEN it has the two in 'default', transformed and indexed
    expect(informer.store.byIndex('ref', 'r1').map((o) => o.metadata.name).sort()).toEqual(['a', 'b']);
    expect(informer.get('default', 'a')?.data).toEqual({ ref: 'r1' });
    // WHEN 'a' changes and 'b' is deleted
    await configMaps('default').mergePatch('a', { data: { ref: 'r2' } });
    await configMaps('default').delete('b');
    await eventually(() => expect(seen.slice(2)).toEqual(['update a', 'delete b']));
    expect(informer.store.byIndex('ref', 'r2').map((o) => o.metadata.name)).toEqual(['a']);
    // WHEN 'a' is deleted while the watch is down and its history has expired (the next watch gets 410)
    api.expireWatchHistory();
    await configMaps('default').delete('a');
    api.expireWatchHistory();
    api.closeAllWatches();
    // THEN the relist finds it gone
    await eventually(() => expect(informer.store.size).toBe(0));
    expect(seen.at(-1)).toBe('delete a');
    abort.abort();
    await running;
  });

  it('re-delivers cached objects on resync', async () => {
    // GIVEN an informer with a short resync period over namespace 'other'
    const informer = new Informer<KubeObject>({ apiVersion: 'v1', resource: 'configmaps' });
    const resyncs: string[] = [];
    informer.addHandler({ onChange: (o, old) => old === o && resyncs.push(o.metadata.name!), onDelete: () => {} });
    const abort = new AbortController();
    const running = informer.run(kube, { namespaces: ['other'], resyncMs: 20, log: silentLogger, signal: abort.signal });
    // THEN the cached object comes again as an update of itself
    await eventually(() => expect(resyncs.length).toBeGreaterThanOrEqual(2));
    expect(new Set(resyncs)).toEqual(new Set(['c']));
    abort.abort();
    await running;
  });

  it('counts a resource the server does not serve as synced and empty, and fills it once served', async () => {
    // GIVEN an informer on a custom resource whose CRD is not installed
    const informer = new Informer<KubeObject>({ apiVersion: 'example.dev/v1', resource: 'widgets' });
    const abort = new AbortController();
    const running = informer.run(kube, { log: silentLogger, signal: abort.signal });
    // THEN it is synced, with nothing in it
    await informer.synced;
    expect(informer.store.size).toBe(0);
    // WHEN the CRD is installed and a widget created THEN the retried list+watch finds it
    await kube.resource({ apiVersion: 'apiextensions.k8s.io/v1', resource: 'customresourcedefinitions' }).create({
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.dev' },
      spec: { group: 'example.dev', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] },
    });
    await kube.resource({ apiVersion: 'example.dev/v1', resource: 'widgets', namespace: 'default' }).create({ apiVersion: 'example.dev/v1', kind: 'Widget', metadata: { name: 'w' } });
    await eventually(() => expect(informer.get('default', 'w')).toBeDefined(), 8000);
    abort.abort();
    await running;
  });
});
