/** The stand-in as @kubernetes/client-node sees it: the same protocol our runtime speaks. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiServer, startApiServer } from './index';
import { clientFor, imageStream, imageStreamCrd, Loose, TestClient, watchersOpen, withCrd } from './testing';

type K8s = typeof import('@kubernetes/client-node');
let k8s: K8s;
let server: ApiServer;
let http: TestClient;
let kc: InstanceType<K8s['KubeConfig']>;
const group = 'imagestreams.dev';
const version = 'v1alpha1';
const plural = 'imagestreams';

/** client-node 1.x: 2.x depends on undici 8, which needs Node >= 22.19, and this project supports Node 20. */
async function loadClientNode(): Promise<K8s> {
  return import('@kubernetes/client-node');
}

beforeAll(async () => {
  k8s = await loadClientNode();
  server = await startApiServer();
  http = clientFor(server);
  await withCrd(http, imageStreamCrd());
  kc = new k8s.KubeConfig();
  kc.loadFromFile(server.kubeconfigPath);
});

afterAll(async () => {
  await server.close();
});

describe('@kubernetes/client-node against the stand-in', () => {
  it('loads the kubeconfig: context stand-in, namespace default', () => {
    expect(kc.getCurrentContext()).toBe('stand-in');
    expect(kc.getContextObject('stand-in')?.namespace).toBe('default');
    expect(kc.getCurrentCluster()?.server).toBe(server.url);
  });

  it('creates and lists custom objects', async () => {
    const api = kc.makeApiClient(k8s.CustomObjectsApi);
    await api.createNamespacedCustomObject({ group, version, namespace: 'default', plural, body: imageStream('listed') });
    const list = (await api.listNamespacedCustomObject({ group, version, namespace: 'default', plural })) as Loose;
    expect(list.items.map((o: Loose) => o.metadata.name)).toContain('listed');
  });

  it('lists Deployments with AppsV1Api', async () => {
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: { metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } } },
    });
    const list = await apps.listNamespacedDeployment({ namespace: 'default' });
    expect(list.items.map((d) => d.metadata?.name)).toEqual(['web']);
    expect(list.items[0].spec?.template.spec?.containers[0].image).toBe('nginx');
  });

  it('patches with a merge patch', async () => {
    const api = kc.makeApiClient(k8s.CustomObjectsApi);
    await api.createNamespacedCustomObject({ group, version, namespace: 'default', plural, body: imageStream('merged') });
    const patched = (await api.patchNamespacedCustomObject(
      { group, version, namespace: 'default', plural, name: 'merged', body: { spec: { historyLimit: 3 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    )) as Loose;
    expect(patched.spec.historyLimit).toBe(3);
  });

  it('replaces status through the status subresource', async () => {
    const api = kc.makeApiClient(k8s.CustomObjectsApi);
    const created = (await api.createNamespacedCustomObject({ group, version, namespace: 'default', plural, body: imageStream('stat') })) as Loose;
    const body = { ...created, status: { tags: [{ tag: 'latest', items: [{ image: 'sha256:1' }] }] } };
    const updated = (await api.replaceNamespacedCustomObjectStatus({ group, version, namespace: 'default', plural, name: 'stat', body })) as Loose;
    expect(updated.status.tags[0].items[0].image).toBe('sha256:1');
    expect(updated.metadata.generation).toBe(1);
  });

  it('surfaces a 409 on a stale resourceVersion as an ApiException', async () => {
    const api = kc.makeApiClient(k8s.CustomObjectsApi);
    const created = (await api.createNamespacedCustomObject({ group, version, namespace: 'default', plural, body: imageStream('stale') })) as Loose;
    await api.replaceNamespacedCustomObject({ group, version, namespace: 'default', plural, name: 'stale', body: { ...created, spec: { historyLimit: 2 } } });
    const err = await api.replaceNamespacedCustomObject({ group, version, namespace: 'default', plural, name: 'stale', body: { ...created, spec: { historyLimit: 3 } } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(k8s.ApiException);
    expect((err as { code: number }).code).toBe(409);
  });

  it('watches with Watch: existing objects, then live changes', async () => {
    const api = kc.makeApiClient(k8s.CustomObjectsApi);
    await api.createNamespacedCustomObject({ group, version, namespace: 'default', plural, body: imageStream('watched') });
    const seen: string[] = [];
    let resolveSeen: () => void = () => undefined;
    const enough = new Promise<void>((r) => (resolveSeen = r));
    const watch = new k8s.Watch(kc);
    const controller = await watch.watch(
      `/apis/${group}/${version}/namespaces/default/${plural}`,
      { fieldSelector: 'metadata.name=watched' },
      (phase, obj: Loose) => {
        seen.push(`${phase} ${obj.metadata.name} ${obj.spec.historyLimit}`);
        if (seen.length === 2) resolveSeen();
      },
      () => undefined,
    );
    await watchersOpen(server, 'imagestreams.imagestreams.dev');
    await http.patch(`/apis/${group}/${version}/namespaces/default/${plural}/watched`, { spec: { historyLimit: 4 } }, 'application/merge-patch+json');
    await enough;
    controller.abort();
    expect(seen).toEqual(['ADDED watched 10', 'MODIFIED watched 4']);
  });

  it('is told when the server closes the watch', async () => {
    const watch = new k8s.Watch(kc);
    const done = new Promise<unknown>((resolve) => {
      void watch.watch('/api/v1/namespaces/default/configmaps', {}, () => undefined, resolve);
    });
    await watchersOpen(server, 'configmaps');
    server.closeAllWatches();
    expect(await done).toBeNull();
  });
});
