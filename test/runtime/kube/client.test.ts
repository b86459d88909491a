import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type KubeClient, type ResourceClient } from '../../../lib/runtime/kube/client';
import { ConflictError, GoneError, InvalidError, KubeApiError, NotFoundError } from '../../../lib/runtime/kube/errors';
import { loadKubeconfig } from '../../../lib/runtime/kube/kubeconfig';
import type { KubeObject } from '../../../lib/runtime/kube/types';
import { startApiServer, type ApiServer } from '../../support/apiserver';
import { sendJson, startWireServer, type WireServer } from './wire-server';
import { GROUP_VERSION, IMAGESTREAM_KIND, IMAGESTREAMS } from '../../../lib/api/group';
import { useTestKube } from '../../support/kube';

const stream: KubeObject = {
  apiVersion: 'imagestreams.dev/v1alpha1',
  kind: 'ImageStream',
  metadata: { name: 'jdk8', resourceVersion: '7' },
  spec: { tags: [] },
};
const base = '/apis/imagestreams.dev/v1alpha1/namespaces/ns/imagestreams';

describe('createClient on the wire', () => {
  let server: WireServer;
  let client: KubeClient;
  let streams: ResourceClient;
  beforeAll(async () => {
    server = await startWireServer((req, res) =>
      sendJson(res, 200, req.method === 'GET' && req.url === base ? { apiVersion: 'imagestreams.dev/v1alpha1', kind: 'ImageStreamList', metadata: {}, items: [] } : stream),
    );
    client = createClient({ server: server.url, namespace: 'ns' });
    streams = client.resource({ apiVersion: 'imagestreams.dev/v1alpha1', resource: 'imagestreams', namespace: 'ns' });
  });
  afterAll(async () => {
    client.close();
    await server.close();
  });

  const last = () => {
    const r = server.requests[server.requests.length - 1];
    return { method: r.method, url: r.url, contentType: r.headers['content-type'], body: r.body ? JSON.parse(r.body) : undefined };
  };

  it('sends each operation with the method, path, content type and body the API expects', async () => {
    const cases: [string, () => Promise<unknown>, object][] = [
      ['get', () => streams.get('jdk8'), { method: 'GET', url: `${base}/jdk8` }],
      ['list', () => streams.list(), { method: 'GET', url: base }],
      ['create', () => streams.create(stream, { fieldManager: 'me' }), { method: 'POST', url: `${base}?fieldManager=me`, contentType: 'application/json', body: stream }],
      ['update', () => streams.update(stream), { method: 'PUT', url: `${base}/jdk8`, contentType: 'application/json', body: stream }],
      [
        'delete',
        () => streams.delete('jdk8', { propagationPolicy: 'Foreground', preconditions: { uid: 'u1' } }),
        { method: 'DELETE', url: `${base}/jdk8`, body: { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Foreground', preconditions: { uid: 'u1' } } },
      ],
      ['mergePatch', () => streams.mergePatch('jdk8', { spec: { x: 1 } }), { method: 'PATCH', url: `${base}/jdk8`, contentType: 'application/merge-patch+json', body: { spec: { x: 1 } } }],
      [
        'jsonPatch',
        () => streams.jsonPatch('jdk8', [{ op: 'replace', path: '/spec/x', value: 2 }]),
        { method: 'PATCH', url: `${base}/jdk8`, contentType: 'application/json-patch+json', body: [{ op: 'replace', path: '/spec/x', value: 2 }] },
      ],
      [
        'apply',
        () => streams.apply(stream, { fieldManager: 'imagestreams-controller', force: true }),
        { method: 'PATCH', url: `${base}/jdk8?fieldManager=imagestreams-controller&force=true`, contentType: 'application/apply-patch+yaml', body: stream },
      ],
      ['getStatus', () => streams.getStatus('jdk8'), { method: 'GET', url: `${base}/jdk8/status` }],
      ['updateStatus', () => streams.updateStatus(stream), { method: 'PUT', url: `${base}/jdk8/status`, body: stream }],
      ['mergePatchStatus', () => streams.mergePatchStatus('jdk8', { status: {} }), { method: 'PATCH', url: `${base}/jdk8/status`, contentType: 'application/merge-patch+json' }],
      [
        'jsonPatchStatus',
        () => streams.jsonPatchStatus('jdk8', [{ op: 'add', path: '/status', value: {} }]),
        { method: 'PATCH', url: `${base}/jdk8/status`, contentType: 'application/json-patch+json' },
      ],
    ];
    for (const [name, call, expected] of cases) {
      // WHEN each operation runs THEN the request matches
      await call();
      expect({ name, ...last() }).toMatchObject({ name, ...expected });
    }
  });

  it('writes into the object namespace when the resource has none, and needs a name', async () => {
    const anywhere = client.resource({ apiVersion: 'v1', resource: 'configmaps' });
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'other' } };
    await anywhere.update(cm);
    expect(last().url).toBe('/api/v1/namespaces/other/configmaps/c');
    await expect(anywhere.update({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} })).rejects.toThrowError(`ConfigMap has no 'metadata.name'`);
  });

  it('exposes the namespace of its config', () => {
    expect(client.namespace).toBe('ns');
  });
});

describe('createClient against the real API server', () => {
  const cluster = useTestKube('kube-client');
  let client: KubeClient;
  let streams: ResourceClient;
  let path: string;
  const imageStream = (name: string, spec: object = { tags: [{ name: 'latest' }] }, labels?: Record<string, string>): KubeObject => ({
    apiVersion: GROUP_VERSION,
    kind: IMAGESTREAM_KIND,
    metadata: { name, labels },
    spec,
  });
  const item = (n: number) => ({ dockerImageReference: `registry.test/a/b@sha256:${String(n).repeat(64)}`, image: `sha256:${String(n).repeat(64)}`, created: '2026-01-01T00:00:00Z' });

  beforeAll(() => {
    // The client as the runtime makes it: from a kubeconfig (CA, token, namespace).
    client = createClient(loadKubeconfig({ path: cluster.kubeconfigPath }));
    streams = client.resource({ ...IMAGESTREAMS, namespace: client.namespace });
    path = `/apis/${GROUP_VERSION}/namespaces/${cluster.namespace}/imagestreams`;
  });
  afterAll(() => client?.close());

  it('creates, gets, updates and deletes, with generation and resourceVersion kept by the server', async () => {
    // WHEN created
    const created = await streams.create(imageStream('crud'), { fieldManager: 'test' });
    // THEN the server filled in identity and versions
    expect(created.metadata).toMatchObject({ name: 'crud', namespace: cluster.namespace, generation: 1 });
    expect(created.metadata.uid).toBeTruthy();
    expect(await streams.get('crud')).toEqual(created);
    // WHEN the spec changes through update
    const updated = await streams.update({ ...created, spec: { tags: [{ name: 'v2' }] } });
    expect(updated.metadata.generation).toBe(2);
    expect(updated.metadata.resourceVersion).not.toBe(created.metadata.resourceVersion);
    // WHEN deleted THEN it is gone
    await streams.delete('crud', { propagationPolicy: 'Background' });
    await expect(streams.get('crud')).rejects.toThrowError(`GET ${path}/crud: 404 NotFound: imagestreams.imagestreams.dev "crud" not found`);
  });

  it('throws ConflictError for an existing name and for a stale resourceVersion, told apart', async () => {
    const first = await streams.create(imageStream('conflicts'));
    const exists = await streams.create(imageStream('conflicts')).catch((e: unknown) => e);
    expect(exists).toBeInstanceOf(ConflictError);
    expect((exists as ConflictError).alreadyExists).toBe(true);
    expect((exists as Error).message).toBe(`POST ${path}: 409 AlreadyExists: imagestreams.imagestreams.dev "conflicts" already exists`);
    await streams.mergePatch('conflicts', { metadata: { labels: { touched: 'yes' } } });
    const stale = await streams.update({ ...first, spec: { tags: [] } }).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(ConflictError);
    expect((stale as ConflictError).alreadyExists).toBe(false);
    expect((stale as ConflictError).reason).toBe('Conflict');
  });

  it('throws InvalidError with the causes when the schema rejects the object', async () => {
    const error = await streams.create(imageStream('bad', { tags: 'latest' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidError);
    const causes = (error as InvalidError).causes;
    expect(causes[0].field).toBe('spec.tags');
    // With CEL rules in the schema the API server adds a cause of its own: the rules it skipped.
    expect(causes.slice(1).map((c) => c.message)).toEqual(causes.length > 1 ? [expect.stringContaining('validation rules were not checked')] : []);
  });

  it('applies merge and JSON patches', async () => {
    await streams.create(imageStream('patched', { tags: [{ name: 'a' }] }));
    const merged = await streams.mergePatch('patched', { metadata: { annotations: { note: 'hi' } }, spec: { tags: [{ name: 'b' }] } });
    expect(merged.metadata.annotations).toEqual({ note: 'hi' });
    expect(merged.spec).toMatchObject({ tags: [{ name: 'b' }] });
    const patched = await streams.jsonPatch('patched', [
      { op: 'test', path: '/spec/tags/0/name', value: 'b' },
      { op: 'add', path: '/spec/tags/-', value: { name: 'c' } },
    ]);
    expect((patched.spec as { tags: { name: string }[] }).tags.map((t) => t.name)).toEqual(['b', 'c']);
    await expect(streams.jsonPatch('patched', [{ op: 'test', path: '/spec/tags/0/name', value: 'zzz' }])).rejects.toBeInstanceOf(KubeApiError);
  });

  it('server-side applies, and takes fields over from another manager only with force', async () => {
    const policy = (scheduled: boolean) => ({ tags: [{ name: 'x', importPolicy: { scheduled } }] });
    const applied = await streams.apply(imageStream('applied', policy(true)), { fieldManager: 'alice' });
    expect(applied.metadata.managedFields).toEqual([expect.objectContaining({ manager: 'alice', operation: 'Apply' })]);
    // Tags are a list map keyed by name: another manager's own tag merges in without conflict
    const merged = await streams.apply(imageStream('applied', { tags: [{ name: 'y' }] }), { fieldManager: 'carol' });
    expect((merged.spec as { tags: { name: string }[] }).tags.map((t) => t.name)).toEqual(['x', 'y']);
    // …but a field alice set is hers
    const mine = imageStream('applied', policy(false));
    const conflict = await streams.apply(mine, { fieldManager: 'bob' }).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(ConflictError);
    expect((conflict as ConflictError).alreadyExists).toBe(false);
    const forced = await streams.apply(mine, { fieldManager: 'bob', force: true });
    expect((forced.spec as { tags: { name: string; importPolicy?: { scheduled?: boolean } }[] }).tags.find((t) => t.name === 'x')?.importPolicy?.scheduled).toBe(false);
  });

  it('writes status only through the status subresource', async () => {
    const created = await streams.create(imageStream('with-status'));
    // WHEN status is written through the object itself THEN the server ignores it
    const ignored = await streams.update({ ...created, status: { tags: [{ tag: 'ignored' }] } });
    expect(ignored.status).toBeUndefined();
    // WHEN through the subresource THEN it sticks, and the spec is left alone
    const written = await streams.updateStatus({ ...ignored, spec: { tags: [] }, status: { tags: [{ tag: 'latest', items: [item(1)] }] } });
    expect(written.status).toEqual({ tags: [{ tag: 'latest', items: [item(1)] }] });
    expect(written.spec).toEqual(created.spec);
    expect(written.metadata.generation).toBe(1);
    await streams.mergePatchStatus('with-status', { status: { observedGeneration: 1 } });
    await streams.jsonPatchStatus('with-status', [{ op: 'add', path: '/status/tags/0/items/-', value: item(2) }]);
    expect((await streams.getStatus('with-status')).status).toEqual({ observedGeneration: 1, tags: [{ tag: 'latest', items: [item(1), item(2)] }] });
  });

  it('lists by label, page by page, and whole with listAll', async () => {
    for (const n of [1, 2, 3]) await streams.create(imageStream(`listed-${n}`, undefined, { set: 'listed' }));
    const page = await streams.list({ labelSelector: 'set=listed', limit: 2 });
    expect(page.items.map((i) => i.metadata.name)).toEqual(['listed-1', 'listed-2']);
    expect(page.items[0].kind).toBe('ImageStream');
    const rest = await streams.list({ labelSelector: 'set=listed', limit: 2, continue: page.metadata.continue });
    expect(rest.items.map((i) => i.metadata.name)).toEqual(['listed-3']);
    const all = await streams.listAll({ labelSelector: 'set=listed', pageSize: 1 });
    expect(all.items.map((i) => i.metadata.name)).toEqual(['listed-1', 'listed-2', 'listed-3']);
    expect(Number(all.resourceVersion)).toBeGreaterThanOrEqual(Number(page.metadata.resourceVersion));
  });

  it('throws NotFoundError for a resource the server does not serve', async () => {
    const missing = client.resource({ apiVersion: 'nothing.dev/v1', resource: 'things', namespace: cluster.namespace });
    await expect(missing.get('x')).rejects.toBeInstanceOf(NotFoundError);
  });
});

// The real server expires a continue token only when etcd is compacted (every 5 minutes): the
// stand-in does it on demand.
describe('createClient against the stand-in API server', () => {
  let api: ApiServer;
  let client: KubeClient;
  beforeAll(async () => {
    api = await startApiServer();
    client = createClient({ server: api.url, namespace: 'default' });
  });
  afterAll(async () => {
    client.close();
    await api.close();
  });

  it('throws GoneError for a continue token older than the history', async () => {
    const configMaps = client.resource({ apiVersion: 'v1', resource: 'configmaps', namespace: 'default' });
    for (const n of [1, 2]) await configMaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `paged-${n}` } });
    const page = await configMaps.list({ limit: 1 });
    api.expireWatchHistory();
    await expect(configMaps.list({ limit: 1, continue: page.metadata.continue })).rejects.toBeInstanceOf(GoneError);
  });
});
