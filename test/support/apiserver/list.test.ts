import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CM, configMap, startTestServer, TestClient } from './testing';

let c: TestClient;
beforeEach(async () => {
  c = await startTestServer();
  await c.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
  for (const n of ['c', 'a', 'b', 'e', 'd']) await c.post(CM, configMap(n, {}, { app: n < 'c' ? 'x' : 'y' }));
  await c.post('/api/v1/namespaces/other/configmaps', configMap('z', {}, { app: 'x' }));
});
afterEach(async () => {
  await c.server.close();
});

const names = (body: { items: { metadata: { name: string } }[] }): string[] => body.items.map((o) => o.metadata.name);

describe('list', () => {
  it('returns a List kind sorted by name, with the current resourceVersion', async () => {
    const r = await c.get(CM);
    const latest = await c.post(CM, configMap('later'));
    expect(r.body.kind).toBe('ConfigMapList');
    expect(r.body.apiVersion).toBe('v1');
    expect(names(r.body)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(Number(r.body.metadata.resourceVersion)).toBe(Number(latest.body.metadata.resourceVersion) - 1);
  });

  it('lists across all namespaces without a namespace segment', async () => {
    const r = await c.get('/api/v1/configmaps');
    expect(names(r.body)).toEqual(['a', 'b', 'c', 'd', 'e', 'z']);
  });

  it('filters by labelSelector and fieldSelector', async () => {
    const byLabel = await c.get('/api/v1/configmaps?labelSelector=' + encodeURIComponent('app=x'));
    const byField = await c.get('/api/v1/configmaps?fieldSelector=' + encodeURIComponent('metadata.namespace=other'));
    const byName = await c.get(`${CM}?fieldSelector=metadata.name%3Dd`);
    expect(names(byLabel.body)).toEqual(['a', 'b', 'z']);
    expect(names(byField.body)).toEqual(['z']);
    expect(names(byName.body)).toEqual(['d']);
  });

  it('answers 400 for a bad selector', async () => {
    const r = await c.get(`${CM}?fieldSelector=spec.x%3D1`);
    expect(r.status).toBe(400);
    expect(r.body.reason).toBe('BadRequest');
  });

  it('pages with limit and continue, consistently with the first page', async () => {
    const first = await c.get(`${CM}?limit=2`);
    await c.post(CM, configMap('aa'));
    await c.del(`${CM}/e`);
    const second = await c.get(`${CM}?limit=2&continue=${first.body.metadata.continue}`);
    const third = await c.get(`${CM}?limit=2&continue=${second.body.metadata.continue}`);
    expect(names(first.body)).toEqual(['a', 'b']);
    expect(first.body.metadata.remainingItemCount).toBe(3);
    expect(names(second.body)).toEqual(['c', 'd']);
    expect(names(third.body)).toEqual(['e']);
    expect(third.body.metadata.continue).toBeUndefined();
    expect(third.body.metadata.resourceVersion).toBe(first.body.metadata.resourceVersion);
  });

  it('answers 410 Expired for a continue token older than the kept history', async () => {
    const first = await c.get(`${CM}?limit=2`);
    c.server.expireWatchHistory();
    const r = await c.get(`${CM}?limit=2&continue=${first.body.metadata.continue}`);
    expect(r.status).toBe(410);
    expect(r.body.reason).toBe('Expired');
  });

  it('deletes a collection by label', async () => {
    await c.del(`${CM}?labelSelector=app%3Dy`);
    expect(names((await c.get(CM)).body)).toEqual(['a', 'b']);
  });
});
