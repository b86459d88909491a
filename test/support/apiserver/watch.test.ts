import { afterEach, describe, expect, it } from 'vitest';
import { CM, configMap, openWatch, startTestServer, TestClient, watchersOpen, watchEvents } from './testing';

let c: TestClient;
afterEach(async () => {
  await c.server.close();
});

async function start(opts?: Parameters<typeof startTestServer>[0]): Promise<TestClient> {
  c = await startTestServer(opts);
  return c;
}

const summary = (events: { type: string; object: { metadata: { name?: string; resourceVersion: string } } }[]): string[] =>
  events.map((e) => `${e.type} ${e.object.metadata.name ?? ''}`.trim());

describe('watch', () => {
  it('starts with synthetic ADDED events when resourceVersion is unset or "0", then streams live events', async () => {
    await start();
    await c.post(CM, configMap('a'));
    const fromZero = openWatch(`${c.server.url}${CM}?watch=1&resourceVersion=0`, 3);
    const unset = openWatch(`${c.server.url}${CM}?watch=true`, 1);
    await watchersOpen(c.server, 'configmaps', 2);
    await c.patch(`${CM}/a`, { data: { x: '1' } }, 'application/merge-patch+json');
    await c.del(`${CM}/a`);
    expect(summary((await fromZero).events)).toEqual(['ADDED a', 'MODIFIED a', 'DELETED a']);
    expect(summary((await unset).events)).toEqual(['ADDED a']);
  });

  it('replays events after a given resourceVersion from history', async () => {
    await start();
    const a = (await c.post(CM, configMap('a'))).body;
    await c.post(CM, configMap('b'));
    await c.del(`${CM}/a`);
    const r = await watchEvents(`${c.server.url}${CM}?watch=1&resourceVersion=${a.metadata.resourceVersion}`, 2);
    expect(summary(r.events)).toEqual(['ADDED b', 'DELETED a']);
  });

  it('sends an ERROR event with 410 Expired when the resourceVersion is too old', async () => {
    await start();
    const a = (await c.post(CM, configMap('a'))).body;
    await c.post(CM, configMap('b'));
    c.server.expireWatchHistory();
    const r = await watchEvents(`${c.server.url}${CM}?watch=1&resourceVersion=${a.metadata.resourceVersion}`, 1);
    expect(r.status).toBe(200);
    expect(r.events).toEqual([
      {
        type: 'ERROR',
        object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: expect.stringMatching(/^too old resource version: \d+ \(\d+\)$/), reason: 'Expired', code: 410 },
      },
    ]);
  });

  it('expires resourceVersions that fell out of the history window', async () => {
    await start({ historyWindow: 2 });
    const first = (await c.post(CM, configMap('a'))).body;
    for (const n of ['b', 'c', 'd', 'e']) await c.post(CM, configMap(n));
    const r = await watchEvents(`${c.server.url}${CM}?watch=1&resourceVersion=${first.metadata.resourceVersion}`, 1);
    expect(r.events[0].object.code).toBe(410);
  });

  it('sends BOOKMARKs with the current resourceVersion when allowWatchBookmarks=true', async () => {
    await start({ bookmarkIntervalMs: 20 });
    const latest = (await c.post(CM, configMap('a'))).body;
    const r = await watchEvents(`${c.server.url}${CM}?watch=1&allowWatchBookmarks=true&resourceVersion=${latest.metadata.resourceVersion}`, 1);
    expect(r.events[0]).toEqual({ type: 'BOOKMARK', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: latest.metadata.resourceVersion } } });
  });

  it('ends the stream after timeoutSeconds', async () => {
    await start();
    const r = await watchEvents(`${c.server.url}${CM}?watch=1&timeoutSeconds=1`, 1);
    expect(r.ended).toBe(true);
    expect(r.events).toEqual([]);
  });

  it('applies label selectors, turning edge crossings into ADDED and DELETED', async () => {
    await start();
    await c.post(CM, configMap('a', {}, { app: 'x' }));
    await c.post(CM, configMap('b', {}, { app: 'y' }));
    const w = openWatch(`${c.server.url}${CM}?watch=1&labelSelector=app%3Dx`, 3);
    await watchersOpen(c.server, 'configmaps');
    await c.patch(`${CM}/b`, { metadata: { labels: { app: 'x' } } }, 'application/merge-patch+json');
    await c.patch(`${CM}/a`, { metadata: { labels: { app: 'z' } } }, 'application/merge-patch+json');
    expect(summary((await w).events)).toEqual(['ADDED a', 'ADDED b', 'DELETED a']);
  });

  it('applies field selectors', async () => {
    await start();
    await c.post(CM, configMap('a'));
    await c.post(CM, configMap('b'));
    const r = await watchEvents(`${c.server.url}${CM}?watch=1&fieldSelector=metadata.name%3Db`, 1);
    expect(summary(r.events)).toEqual(['ADDED b']);
  });

  it('watches one namespace or all', async () => {
    await start();
    await c.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
    await c.post('/api/v1/namespaces/other/configmaps', configMap('o'));
    await c.post(CM, configMap('d'));
    const one = await watchEvents(`${c.server.url}/api/v1/namespaces/other/configmaps?watch=1`, 1);
    const all = await watchEvents(`${c.server.url}/api/v1/configmaps?watch=1`, 2);
    expect(summary(one.events)).toEqual(['ADDED o']);
    expect(summary(all.events)).toEqual(['ADDED d', 'ADDED o']);
  });

  it('is closed by the server with closeAllWatches', async () => {
    await start();
    const w = openWatch(`${c.server.url}${CM}?watch=1`, 1);
    await watchersOpen(c.server, 'configmaps');
    c.server.closeAllWatches();
    expect((await w).ended).toBe(true);
  });

  it('streams Table rows when asked, headers only in the first event', async () => {
    await start();
    await c.post(CM, configMap('a'));
    await c.post(CM, configMap('b'));
    const r = await watchEvents(`${c.server.url}${CM}?watch=1`, 2, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    expect(r.events.map((e) => e.object.kind)).toEqual(['Table', 'Table']);
    expect(r.events[0].object.columnDefinitions.length).toBe(2);
    expect(r.events[1].object.columnDefinitions).toEqual([]);
    expect(r.events[1].object.rows[0].cells[0]).toBe('b');
  });
});
