import type { ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient, type KubeClient, type ResourceClient } from '../../../lib/runtime/kube/client';
import { GoneError, KubeApiError } from '../../../lib/runtime/kube/errors';
import { createTransport, type HttpTransport } from '../../../lib/runtime/kube/http';
import type { WatchEvent } from '../../../lib/runtime/kube/types';
import { watchResource } from '../../../lib/runtime/kube/watch';
import { startApiServer, type ApiServer } from '../../support/apiserver';
import { useTestKube } from '../../support/kube';
import { sendJson, startWireServer, status, type RecordedRequest, type WireServer } from './wire-server';

const ref = { apiVersion: 'imagestreams.dev/v1alpha1', resource: 'imagestreams', namespace: 'ns' };
const backoff = { initialMs: 1, maxMs: 5, maxFailures: 3 };
const obj = (name: string, resourceVersion: string) => ({ apiVersion: 'imagestreams.dev/v1alpha1', kind: 'ImageStream', metadata: { name, resourceVersion } });
const line = (type: string, object: object) => `${JSON.stringify({ type, object })}\n`;

function startStream(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
}

describe('watchResource', () => {
  let server: WireServer | undefined;
  let transport: HttpTransport | undefined;
  const start = async (handler: (req: RecordedRequest, res: ServerResponse, index: number) => void) => {
    let index = 0;
    server = await startWireServer((req, res) => handler(req, res, index++));
    transport = createTransport({ server: server.url, namespace: 'ns' });
    return transport;
  };
  afterEach(async () => {
    transport?.close();
    await server?.close();
  });

  it('parses events split across chunks and resumes from the last resourceVersion, bookmarks included', async () => {
    // GIVEN a server whose first stream sends two events (one split mid-line) and a bookmark, then ends
    const controller = new AbortController();
    const events: WatchEvent[] = [];
    const t = await start((_req, res, index) => {
      startStream(res);
      if (index === 0) {
        const text = line('ADDED', obj('a', '5')) + line('MODIFIED', obj('a', '6')) + line('BOOKMARK', { kind: 'ImageStream', metadata: { resourceVersion: '9' } });
        res.write(text.slice(0, 70));
        setTimeout(() => res.end(text.slice(70)), 20);
      } else {
        res.write(line('ADDED', obj('b', '10')));
      }
    });
    // WHEN watched from version 3
    await watchResource(t, ref, { resourceVersion: '3', labelSelector: 'app=x', timeoutSeconds: 60, signal: controller.signal, backoff }, (event) => {
      events.push(event);
      if (event.object.metadata.name === 'b') controller.abort();
    });
    // THEN every event arrived in order, and the second connection resumed after the bookmark
    expect(events.map((e) => `${e.type} ${e.object.metadata.resourceVersion}`)).toEqual(['ADDED 5', 'MODIFIED 6', 'BOOKMARK 9', 'ADDED 10']);
    expect(server!.requests.map((r) => r.url)).toEqual([
      '/apis/imagestreams.dev/v1alpha1/namespaces/ns/imagestreams?watch=true&resourceVersion=3&labelSelector=app%3Dx&allowWatchBookmarks=true&timeoutSeconds=60',
      '/apis/imagestreams.dev/v1alpha1/namespaces/ns/imagestreams?watch=true&resourceVersion=9&labelSelector=app%3Dx&allowWatchBookmarks=true&timeoutSeconds=60',
    ]);
  });

  it('reconnects when the connection is cut, without counting it as a failure', async () => {
    const controller = new AbortController();
    const names: string[] = [];
    const t = await start((_req, res, index) => {
      startStream(res);
      res.write(line('ADDED', obj(`n${index}`, String(index + 1))));
      if (index < 3) setTimeout(() => res.socket?.destroy(), 10);
    });
    await watchResource(t, ref, { signal: controller.signal, backoff: { ...backoff, maxFailures: 1 } }, (event) => {
      names.push(event.object.metadata.name!);
      if (names.length === 4) controller.abort();
    });
    expect(names).toEqual(['n0', 'n1', 'n2', 'n3']);
  });

  it('rejects with GoneError on an ERROR event with code 410', async () => {
    const t = await start((_req, res) => {
      startStream(res);
      res.end(line('ERROR', status(410, 'Expired', 'too old resource version: 3 (40)')));
    });
    const error = await watchResource(t, ref, { resourceVersion: '3', backoff }, () => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GoneError);
    expect((error as Error).message).toMatch(/^watch \/apis\/.*: 410 Expired: too old resource version: 3 \(40\)$/);
    expect(server!.requests).toHaveLength(1);
  });

  it('rejects with GoneError on HTTP 410', async () => {
    const t = await start((_req, res) => sendJson(res, 410, status(410, 'Gone', 'gone')));
    await expect(watchResource(t, ref, { backoff }, () => {})).rejects.toBeInstanceOf(GoneError);
  });

  it('gives up after maxFailures failed connections in a row', async () => {
    const t = await start((_req, res) => sendJson(res, 500, status(500, 'InternalError', 'etcd is down')));
    const error = await watchResource(t, ref, { backoff }, () => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as Error).message).toMatch(/: 500 InternalError: etcd is down$/);
    expect(server!.requests).toHaveLength(3);
  });

  it('ends with the error of a failing handler, without reconnecting', async () => {
    const t = await start((_req, res) => {
      startStream(res);
      res.write(line('ADDED', obj('a', '1')));
    });
    await expect(
      watchResource(t, ref, { backoff }, () => {
        throw new Error('handler broke');
      }),
    ).rejects.toThrowError('handler broke');
    expect(server!.requests).toHaveLength(1);
  });

  it('resolves when aborted while the stream is idle', async () => {
    const controller = new AbortController();
    const t = await start((_req, res) => startStream(res));
    const watching = watchResource(t, ref, { signal: controller.signal, backoff }, () => {});
    setTimeout(() => controller.abort(), 20);
    await expect(watching).resolves.toBeUndefined();
  });
});

describe('watch against the real API server', () => {
  const k = useTestKube('kube-watch');
  // Only ConfigMaps of this test (the namespace also gets kube-root-ca.crt from the controller-manager).
  const labels = { test: 'watch' };
  const labelSelector = 'test=watch';
  const configMaps = () => k.kube.resource({ apiVersion: 'v1', resource: 'configmaps', namespace: k.namespace });
  const configMap = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { k: name } });

  it('replays the changes after a version in order, and misses none across the server ending the stream', async () => {
    // GIVEN changes after a listed version
    const cms = configMaps();
    const { resourceVersion } = await cms.listAll({ labelSelector });
    await cms.create(configMap('a'));
    await cms.mergePatch('a', { data: { k: 'changed' } });
    await cms.delete('a');
    await cms.create(configMap('b'));
    // WHEN watched from that version, with streams the server ends after 1 s
    const controller = new AbortController();
    const seen: string[] = [];
    const watching = cms.watch({ resourceVersion, labelSelector, timeoutSeconds: 1, signal: controller.signal, backoff: { initialMs: 10 } }, (e) => {
      if (e.type !== 'BOOKMARK') seen.push(`${e.type} ${e.object.metadata.name}`);
    });
    // THEN the history comes first, once each, in order
    await vi.waitFor(() => expect(seen).toEqual(['ADDED a', 'MODIFIED a', 'DELETED a', 'ADDED b']), { timeout: 10_000 });
    // WHEN the first stream has ended (the client reconnects from the last version it saw)
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await cms.create(configMap('c'));
    // THEN the next change comes once, and nothing old again
    await vi.waitFor(() => expect(seen).toEqual(['ADDED a', 'MODIFIED a', 'DELETED a', 'ADDED b', 'ADDED c']), { timeout: 10_000 });
    controller.abort();
    await watching;
  });

  it('passes bookmarks on with their resourceVersion', async () => {
    // kube-apiserver sends a bookmark 2 s before a watch's timeout (and about every minute), once
    // its watch cache has seen an event of the resource
    const cms = configMaps();
    const controller = new AbortController();
    const bookmarks: string[] = [];
    const { resourceVersion } = await cms.listAll({ labelSelector });
    const watching = cms.watch({ resourceVersion, labelSelector, timeoutSeconds: 4, signal: controller.signal }, (e) => {
      if (e.type === 'BOOKMARK') bookmarks.push(e.object.metadata.resourceVersion!);
    });
    await cms.create(configMap('bookmarked'));
    await vi.waitFor(() => expect(bookmarks.length).toBeGreaterThan(0), { timeout: 15_000 });
    expect(Number(bookmarks[0])).toBeGreaterThan(Number(resourceVersion));
    controller.abort();
    await watching;
  });
});

// The real server ends a watch at its timeout, not while a test holds the client behind, and
// forgets old versions when etcd is compacted (every 5 minutes): the stand-in does both on demand.
describe('watch against the stand-in API server', () => {
  let api: ApiServer;
  let client: KubeClient;
  let configMaps: ResourceClient;
  const configMap = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: name } });
  beforeAll(async () => {
    api = await startApiServer();
    client = createClient({ server: api.url, namespace: 'default' });
    configMaps = client.resource({ apiVersion: 'v1', resource: 'configmaps', namespace: 'default' });
  });
  afterAll(async () => {
    client.close();
    await api.close();
  });

  it('survives the server closing every stream: resumes from its last version and misses nothing', async () => {
    // GIVEN a watch from the current version whose handler holds the first event until `release`
    const { resourceVersion } = await configMaps.listAll();
    const controller = new AbortController();
    const seen: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const watching = configMaps.watch({ resourceVersion, signal: controller.signal, backoff: { initialMs: 10 } }, async (e) => {
      if (e.type === 'BOOKMARK') return;
      seen.push(`${e.type} ${e.object.metadata.name}`);
      if (seen.length === 1) await held;
    });
    await configMaps.create(configMap('before'));
    await vi.waitFor(() => expect(seen).toEqual(['ADDED before']));
    // WHEN the server drops the stream and changes happen while the client is away
    api.closeAllWatches();
    await configMaps.create(configMap('during'));
    await configMaps.delete('before');
    release();
    // THEN the watch resumes after 'before' and gets both changes, once each, in order
    await vi.waitFor(() => expect(seen).toEqual(['ADDED before', 'ADDED during', 'DELETED before']));
    await configMaps.create(configMap('after'));
    await vi.waitFor(() => expect(seen).toEqual(['ADDED before', 'ADDED during', 'DELETED before', 'ADDED after']));
    controller.abort();
    await watching;
  });

  it('rejects with GoneError when resuming from a version older than the history', async () => {
    const { resourceVersion } = await configMaps.listAll();
    await configMaps.create(configMap('after-list'));
    api.expireWatchHistory();
    await expect(configMaps.watch({ resourceVersion }, () => {})).rejects.toBeInstanceOf(GoneError);
  });
});
