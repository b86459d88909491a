import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '.';

/** The stand-in's faults answer as kube-apiserver answers the same situations (see README.md). */
describe('stand-in API server', () => {
  let api: ApiServer;
  beforeEach(async () => {
    api = await startApiServer();
  });
  afterEach(() => api.close());

  const path = '/api/v1/namespaces/ns/configmaps';
  const call = async (method: string, url: string, body?: object) => {
    const res = await fetch(`${api.url}${url}`, { method, body: body && JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    return { code: res.status, body: (await res.json()) as any };
  };
  const create = (name: string) => call('POST', path, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
  /** The lines of a watch that the server ends (timeoutSeconds, or closeAllWatches). */
  const watchLines = async (query: string, during?: () => void) => {
    const res = await fetch(`${api.url}${path}?watch=true&${query}`);
    during?.();
    return (await res.text()).trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; object: any });
  };

  it('creates, gets, deletes and lists ConfigMaps in pages, each write a new resourceVersion', async () => {
    const a = await create('a');
    expect(a).toMatchObject({ code: 201, body: { kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns', resourceVersion: '2' } } });
    expect((await create('a')).body).toMatchObject({ code: 409, reason: 'AlreadyExists' });
    await create('b');
    expect((await call('GET', `${path}/b`)).body.metadata.name).toBe('b');
    const first = (await call('GET', `${path}?limit=1`)).body;
    expect(first.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['a']);
    const rest = (await call('GET', `${path}?limit=1&continue=${first.metadata.continue}`)).body;
    expect(rest).toMatchObject({ metadata: { resourceVersion: '3' }, items: [{ metadata: { name: 'b' } }] });
    expect((await call('DELETE', `${path}/a`)).body.metadata.resourceVersion).toBe('4');
    expect((await call('GET', `${path}/a`)).code).toBe(404);
  });

  it('replays a watch after a version; after expireWatchHistory, that version is one ERROR event 410 Expired', async () => {
    await create('a');
    await create('b');
    const replayed = await watchLines('resourceVersion=2&timeoutSeconds=1');
    expect(replayed.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED b']);
    api.expireWatchHistory();
    expect(await watchLines('resourceVersion=3')).toEqual([
      { type: 'ERROR', object: expect.objectContaining({ kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 3 (4)' }) },
    ]);
    // A relist gives a version that can be watched from.
    const { resourceVersion } = (await call('GET', path)).body.metadata;
    expect(await watchLines(`resourceVersion=${resourceVersion}&timeoutSeconds=1`)).toEqual([]);
  });

  it('answers 410 Expired to a continue token issued before expireWatchHistory', async () => {
    await create('a');
    await create('b');
    const token = (await call('GET', `${path}?limit=1`)).body.metadata.continue;
    api.expireWatchHistory();
    expect(await call('GET', `${path}?limit=1&continue=${token}`)).toMatchObject({ code: 410, body: { reason: 'Expired' } });
  });

  it('ends every open watch on closeAllWatches', async () => {
    await create('a');
    const lines = await watchLines('', () => setTimeout(() => api.closeAllWatches(), 50));
    expect(lines.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED a']);
  });
});
