import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Informer } from '../../../lib/runtime/machinery/informer';
import { silentLogger } from '../../../lib/runtime/machinery/logger';
import { createClient, type KubeClient } from '../../../lib/runtime/kube/client';
import { NotFoundError } from '../../../lib/runtime/kube/errors';
import type { KubeObject } from '../../../lib/runtime/kube/types';
import { startApiServer, type ApiServer } from '../../support/apiserver';
import { useTestKube } from '../../support/kube';
import { eventually } from '../controller/eventually';

const cm = (name: string, ref: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { test: 'informer' } }, data: { ref, big: 'x'.repeat(100) } });
/** The test's own ConfigMaps (each namespace also gets kube-root-ca.crt from the controller-manager). */
const ours = (o: KubeObject) => o.metadata.labels?.test === 'informer';

describe('Informer against the real API server', () => {
  const k = useTestKube('informer');
  let other: string;
  beforeAll(async () => {
    other = await k.newNamespace('informer-other');
  });
  const configMaps = (namespace: string) => k.kube.resource({ apiVersion: 'v1', resource: 'configmaps', namespace });

  it('lists one namespace, follows its changes, and keeps indexes and transforms', async () => {
    // GIVEN two config maps in the test's namespace and one in another, and an informer on the first only
    await configMaps(k.namespace).create(cm('a', 'r1'));
    await configMaps(k.namespace).create(cm('b', 'r1'));
    await configMaps(other).create(cm('c', 'r1'));
    const informer = new Informer<KubeObject>({
      apiVersion: 'v1', resource: 'configmaps',
      transform: (o) => ({ ...o, data: { ref: (o.data as Record<string, string>).ref } }),
      indexes: { ref: (o) => (ours(o) ? [(o.data as Record<string, string>).ref] : []) },
    });
    const seen: string[] = [];
    informer.addHandler({
      onChange: (o, old) => ours(o) && seen.push(`${old ? 'update' : 'add'} ${o.metadata.name}`),
      onDelete: (o) => ours(o) && seen.push(`delete ${o.metadata.name}`),
    });
    const abort = new AbortController();
    const running = informer.run(k.kube, { namespaces: [k.namespace], log: silentLogger, signal: abort.signal });
    await informer.synced;
    // THEN it has the two of its namespace, transformed and indexed
    expect(informer.store.byIndex('ref', 'r1').map((o) => o.metadata.name).sort()).toEqual(['a', 'b']);
    expect(informer.get(k.namespace, 'a')?.data).toEqual({ ref: 'r1' });
    expect(informer.get(other, 'c')).toBeUndefined();
    expect(seen.sort()).toEqual(['add a', 'add b']);
    // WHEN 'a' changes and 'b' is deleted
    await configMaps(k.namespace).mergePatch('a', { data: { ref: 'r2' } });
    await configMaps(k.namespace).delete('b');
    // THEN the handlers hear of both, and the indexes follow
    await eventually(() => expect(seen.slice(2)).toEqual(['update a', 'delete b']));
    expect(informer.store.byIndex('ref', 'r2').map((o) => o.metadata.name)).toEqual(['a']);
    expect(informer.store.byIndex('ref', 'r1')).toEqual([]);
    abort.abort();
    await running;
  });

  it('re-delivers cached objects on resync', async () => {
    // GIVEN an informer with a short resync period over the other namespace
    const informer = new Informer<KubeObject>({ apiVersion: 'v1', resource: 'configmaps' });
    const resyncs: string[] = [];
    informer.addHandler({ onChange: (o, old) => old === o && ours(o) && resyncs.push(o.metadata.name!), onDelete: () => {} });
    const abort = new AbortController();
    const running = informer.run(k.kube, { namespaces: [other], resyncMs: 20, log: silentLogger, signal: abort.signal });
    // THEN the cached object comes again as an update of itself
    await eventually(() => expect(resyncs.length).toBeGreaterThanOrEqual(2));
    expect(new Set(resyncs)).toEqual(new Set(['c']));
    abort.abort();
    await running;
  });

  it('counts a resource the server does not serve as synced and empty, and fills it once served', async () => {
    // GIVEN an informer on a custom resource whose CRD is not installed (a group of this test's own)
    const group = `informer-${randomBytes(4).toString('hex')}.example.dev`;
    const informer = new Informer<KubeObject>({ apiVersion: `${group}/v1`, resource: 'widgets' });
    const abort = new AbortController();
    const running = informer.run(k.kube, { namespaces: [k.namespace], log: silentLogger, signal: abort.signal });
    // THEN it is synced, with nothing in it
    await informer.synced;
    expect(informer.store.size).toBe(0);
    // WHEN the CRD is installed and a widget created THEN the retried list+watch finds it
    const crds = k.kube.resource({ apiVersion: 'apiextensions.k8s.io/v1', resource: 'customresourcedefinitions' });
    await crds.create({
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `widgets.${group}` },
      spec: { group, scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] },
    });
    try {
      const widgets = k.kube.resource({ apiVersion: `${group}/v1`, resource: 'widgets', namespace: k.namespace });
      // Served once the CRD is Established (a NotFound until then)
      await eventually(() => widgets.create({ apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w' } }).catch((e: unknown) => {
        if (e instanceof NotFoundError) throw e;
      }), 20_000, 100);
      // The informer retries with a backoff that doubles up to 30 s: 0.5, 1, 2, 4, 8 s…
      await eventually(() => expect(informer.get(k.namespace, 'w')).toBeDefined(), 30_000, 50);
    } finally {
      abort.abort();
      await running;
      await crds.delete(`widgets.${group}`);
    }
  });
});

// The real server expires the watch history when etcd is compacted, not on demand: the stand-in does.
describe('Informer against the stand-in API server', () => {
  let api: ApiServer;
  let kube: KubeClient;
  beforeAll(async () => {
    api = await startApiServer();
    kube = createClient({ server: api.url, namespace: 'default' });
  });
  afterAll(async () => {
    kube.close();
    await api.close();
  });

  it('relists after 410 and finds gone what was deleted while it could not watch', async () => {
    // GIVEN an informer that has synced 'a' and 'b'
    const configMaps = kube.resource({ apiVersion: 'v1', resource: 'configmaps', namespace: 'default' });
    await configMaps.create(cm('a', 'r1'));
    await configMaps.create(cm('b', 'r1'));
    const informer = new Informer<KubeObject>({ apiVersion: 'v1', resource: 'configmaps', indexes: { ref: (o) => [(o.data as Record<string, string>).ref] } });
    const seen: string[] = [];
    informer.addHandler({ onChange: (o, old) => seen.push(`${old ? 'update' : 'add'} ${o.metadata.name}`), onDelete: (o) => seen.push(`delete ${o.metadata.name}`) });
    const abort = new AbortController();
    const running = informer.run(kube, { namespaces: ['default'], log: silentLogger, signal: abort.signal });
    await informer.synced;
    expect(informer.store.size).toBe(2);
    // WHEN the server ends the watch, 'a' is deleted while the informer is away (it waits 500 ms
    // before it reconnects), and the history of that is gone (the next watch gets 410)
    api.closeAllWatches();
    await configMaps.delete('a');
    api.expireWatchHistory();
    // THEN the relist finds it gone, tells the handlers, and drops it from the indexes
    await eventually(() => expect(informer.store.size).toBe(1));
    expect(seen.sort()).toEqual(['add a', 'add b', 'delete a']);
    expect(informer.store.byIndex('ref', 'r1').map((o) => o.metadata.name)).toEqual(['b']);
    // AND it watches on from the new list
    await configMaps.delete('b');
    await eventually(() => expect(informer.store.size).toBe(0));
    abort.abort();
    await running;
  });
});
