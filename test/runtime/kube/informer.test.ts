import type { ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient, type KubeClient } from '../../../lib/runtime/kube/client';
import { GoneError } from '../../../lib/runtime/kube/errors';
import { listAndWatch } from '../../../lib/runtime/kube/informer';
import { startApiServer, type ApiServer } from '../../support/apiserver';
import { sendJson, startWireServer, status, type RecordedRequest, type WireServer } from './wire-server';

const ref = { apiVersion: 'v1', resource: 'configmaps', namespace: 'ns' };
const cm = (name: string, resourceVersion: string) => ({ metadata: { name, resourceVersion } });
const list = (resourceVersion: string, items: object[], next?: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMapList',
  metadata: { resourceVersion, continue: next },
  items,
});
const line = (type: string, object: object) => `${JSON.stringify({ type, object })}\n`;

describe('listAndWatch', () => {
  let server: WireServer | undefined;
  let client: KubeClient | undefined;
  const start = async (onList: (req: RecordedRequest, res: ServerResponse) => void, onWatch: (req: RecordedRequest, res: ServerResponse) => void) => {
    server = await startWireServer((req, res) => (req.url.includes('watch=true') ? onWatch(req, res) : onList(req, res)));
    client = createClient({ server: server.url, namespace: 'ns' });
    return client.resource(ref);
  };
  afterEach(async () => {
    client?.close();
    await server?.close();
  });

  it('syncs from a paged list, watches from its version, and relists with a new sync after 410', async () => {
    // GIVEN a list in two pages at version 10, a watch that expires, then a list at version 20
    const controller = new AbortController();
    const seen: string[] = [];
    let lists = 0;
    const resource = await start(
      (req, res) => {
        lists++;
        if (lists === 1) sendJson(res, 200, list('10', [cm('a', '8')], 'page-2'));
        else if (req.url.includes('continue=page-2')) sendJson(res, 200, list('10', [cm('b', '9')]));
        else sendJson(res, 200, list('20', [cm('b', '9'), cm('c', '19')]));
      },
      (req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        if (req.url.includes('resourceVersion=10')) {
          res.write(line('MODIFIED', cm('a', '11')));
          res.write(line('BOOKMARK', { metadata: { resourceVersion: '12' } }));
          res.end(line('ERROR', status(410, 'Expired', 'too old resource version: 12 (15)')));
        } else {
          res.write(line('DELETED', cm('b', '21')));
        }
      },
    );
    // WHEN
    await listAndWatch(
      resource,
      {
        onSync: (items, rv) => void seen.push(`sync ${rv}: ${items.map((i) => `${i.kind}/${i.metadata.name}`).join(',')}`),
        onEvent: (e) => {
          seen.push(`${e.type} ${e.object.metadata.name}@${e.object.metadata.resourceVersion}`);
          if (e.type === 'DELETED') controller.abort();
        },
      },
      { signal: controller.signal, backoff: { initialMs: 1 } },
    );
    // THEN the consumer saw a full sync before each run of events, and no bookmark
    expect(seen).toEqual(['sync 10: ConfigMap/a,ConfigMap/b', 'MODIFIED a@11', 'sync 20: ConfigMap/b,ConfigMap/c', 'DELETED b@21']);
    const urls = server!.requests.map((r) => r.url.replace(/&timeoutSeconds=\d+/, ''));
    expect(urls).toEqual([
      '/api/v1/namespaces/ns/configmaps?limit=500',
      '/api/v1/namespaces/ns/configmaps?limit=500&continue=page-2',
      '/api/v1/namespaces/ns/configmaps?watch=true&resourceVersion=10&allowWatchBookmarks=true',
      '/api/v1/namespaces/ns/configmaps?limit=500',
      '/api/v1/namespaces/ns/configmaps?watch=true&resourceVersion=20&allowWatchBookmarks=true',
    ]);
  });

  it('gives up when relists in a row bring no event', async () => {
    const resource = await start(
      (_req, res) => sendJson(res, 200, list('1', [])),
      (_req, res) => sendJson(res, 410, status(410, 'Gone', 'gone')),
    );
    const synced: string[] = [];
    const error = await listAndWatch(resource, { onSync: (_i, rv) => void synced.push(rv), onEvent: () => {} }, { maxRelists: 2, backoff: { initialMs: 1 } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GoneError);
    expect(synced).toEqual(['1', '1', '1']);
  });
});

describe('listAndWatch against the stand-in API server', () => {
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

  it('keeps a cache right across a 410: relists, syncs, and watches on from the new version', async () => {
    // GIVEN an informer that keeps a cache of config maps
    const configMaps = client.resource({ apiVersion: 'v1', resource: 'configmaps', namespace: 'default' });
    const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
    await configMaps.create(cm('a'));
    const cache = new Map<string, string>();
    const syncs: string[][] = [];
    const controller = new AbortController();
    // The handler holds the event of 'b' until `release`, so that the client is behind for sure.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding = false;
    const informing = listAndWatch(
      configMaps,
      {
        onSync: (items) => {
          cache.clear();
          for (const item of items) cache.set(item.metadata.name!, item.metadata.resourceVersion!);
          syncs.push([...cache.keys()]);
        },
        onEvent: async (e) => {
          if (e.type === 'DELETED') cache.delete(e.object.metadata.name!);
          else cache.set(e.object.metadata.name!, e.object.metadata.resourceVersion!);
          if (e.object.metadata.name === 'b' && !holding) {
            holding = true;
            await held;
          }
        },
      },
      { signal: controller.signal, backoff: { initialMs: 10 } },
    );
    await vi.waitFor(() => expect(syncs).toEqual([['a']]));
    await configMaps.create(cm('b'));
    await vi.waitFor(() => expect(holding).toBe(true));
    // WHEN the server drops the stream, changes happen, and the server forgets them: resuming is impossible
    api.closeAllWatches();
    await configMaps.delete('a');
    await configMaps.create(cm('c'));
    api.expireWatchHistory();
    release();
    // THEN the informer relists and syncs, and later events still arrive
    await vi.waitFor(() => expect(syncs.length).toBe(2));
    await configMaps.create(cm('d'));
    await vi.waitFor(() => expect([...cache.keys()].sort()).toEqual(['b', 'c', 'd']));
    expect(syncs[1].sort()).toEqual(['b', 'c']);
    controller.abort();
    await informing;
  });
});
