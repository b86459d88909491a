/**
 * The stand-in API server: ConfigMaps only, in memory, with two faults a test can cause on demand
 * (the real kube-apiserver can't be told to do either): forget the watch history, so that resuming
 * from any older resourceVersion — a watch or a list's continue token — is 410 Expired; and end
 * every open watch. Everything else is tested against the real control plane (test/support/kube.ts).
 * See README.md.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeObject } from '../../../lib/api/kube-object';

export interface ApiServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Every resourceVersion older than the current one becomes too old: watches from it and continue tokens get 410 Expired. */
  expireWatchHistory(): void;
  /** Ends every open watch stream (the client must reconnect). */
  closeAllWatches(): void;
  close(): Promise<void>;
}

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';
interface StoredEvent {
  readonly type: EventType;
  readonly object: KubeObject;
}
interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  code: number;
}

const status = (code: number, reason: string, message: string): Status => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
const rvOf = (o: KubeObject) => Number(o.metadata.resourceVersion);

/** As kube-apiserver words it. */
const CONTINUE_EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.';

export async function startApiServer(): Promise<ApiServer> {
  /** `namespace/name` → ConfigMap; each stored object is a fresh copy, never changed. */
  const objects = new Map<string, KubeObject>();
  let history: StoredEvent[] = [];
  let rv = 1;
  /** Versions before this one can no longer be resumed from (watch or continue). */
  let expiredRv = 0;
  /** Continue tokens → the rest of the list they continue (consistent, as etcd serves it at one revision). */
  const pages = new Map<string, { items: KubeObject[]; rv: number }>();
  const watchers = new Set<{ send(e: StoredEvent): void; end(): void }>();

  const record = (type: EventType, object: KubeObject) => {
    const event = { type, object };
    history.push(event);
    for (const w of watchers) w.send(event);
  };

  const handle = (req: IncomingMessage, body: string, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const match = /^\/api\/v1\/(?:namespaces\/([^/]+)\/)?configmaps(?:\/([^/]+))?$/.exec(url.pathname);
    if (!match) return void send(res, status(404, 'NotFound', 'the server could not find the requested resource'));
    const [namespace, name] = [match[1], match[2]];
    const q = url.searchParams;
    const inScope = (o: KubeObject) => namespace === undefined || o.metadata.namespace === namespace;
    const notFound = () => status(404, 'NotFound', `configmaps "${name}" not found`);
    const key = `${namespace}/${name}`;

    if (name === undefined && req.method === 'GET' && (q.get('watch') === 'true' || q.get('watch') === '1')) {
      return watch(res, inScope, q.get('resourceVersion'), Number(q.get('timeoutSeconds') ?? 0));
    }
    if (name === undefined && req.method === 'GET') return list(res, inScope, q);
    if (name === undefined && req.method === 'POST' && namespace !== undefined) {
      const object = JSON.parse(body) as KubeObject;
      if (objects.has(`${namespace}/${object.metadata.name}`)) return void send(res, status(409, 'AlreadyExists', `configmaps "${object.metadata.name}" already exists`));
      const created: KubeObject = {
        ...object,
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { ...object.metadata, namespace, uid: randomUUID(), resourceVersion: String(++rv), creationTimestamp: new Date().toISOString() },
      };
      objects.set(`${namespace}/${created.metadata.name}`, created);
      record('ADDED', created);
      return void send(res, created, 201);
    }
    if (name !== undefined && namespace !== undefined && req.method === 'GET') {
      const found = objects.get(key);
      return void send(res, found ?? notFound());
    }
    if (name !== undefined && namespace !== undefined && req.method === 'DELETE') {
      const found = objects.get(key);
      if (!found) return void send(res, notFound());
      objects.delete(key);
      const final = { ...found, metadata: { ...found.metadata, resourceVersion: String(++rv) } };
      record('DELETED', final);
      return void send(res, final);
    }
    send(res, status(405, 'MethodNotAllowed', 'the stand-in serves GET, POST and DELETE of ConfigMaps only'));
  };

  /** A list, in pages when `limit` is set; a continue token is 410 once the history is expired. */
  const list = (res: ServerResponse, inScope: (o: KubeObject) => boolean, q: URLSearchParams): void => {
    const token = q.get('continue');
    let page: { items: KubeObject[]; rv: number };
    if (token) {
      const rest = pages.get(token);
      if (!rest || rest.rv < expiredRv) return void send(res, status(410, 'Expired', CONTINUE_EXPIRED));
      pages.delete(token);
      page = rest;
    } else {
      const keys = [...objects.keys()].sort();
      page = { items: keys.map((k) => objects.get(k)!).filter(inScope), rv };
    }
    const limit = Number(q.get('limit') ?? 0);
    const metadata: { resourceVersion: string; continue?: string } = { resourceVersion: String(page.rv) };
    if (limit > 0 && page.items.length > limit) {
      metadata.continue = randomUUID();
      pages.set(metadata.continue, { items: page.items.slice(limit), rv: page.rv });
    }
    send(res, { apiVersion: 'v1', kind: 'ConfigMapList', metadata, items: limit > 0 ? page.items.slice(0, limit) : page.items });
  };

  /**
   * A watch: from the current state (resourceVersion unset or "0": synthetic ADDED events), or
   * replayed after a version; too old a version is one ERROR event with a 410 Expired Status on an
   * HTTP 200, as kube-apiserver's watch cache answers it.
   */
  const watch = (res: ServerResponse, inScope: (o: KubeObject) => boolean, from: string | null, timeoutSeconds: number): void => {
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    const write = (type: string, object: unknown) => res.writableEnded || res.write(`${JSON.stringify({ type, object })}\n`);
    const since = from && from !== '0' ? Number(from) : undefined;
    if (since !== undefined && since < expiredRv) {
      write('ERROR', status(410, 'Expired', `too old resource version: ${since} (${expiredRv})`));
      return void res.end();
    }
    const initial = since === undefined ? [...objects.values()].map((object) => ({ type: 'ADDED' as const, object })) : history.filter((e) => rvOf(e.object) > since);
    const watcher = {
      send: (e: StoredEvent) => inScope(e.object) && write(e.type, e.object),
      end: () => {
        watchers.delete(watcher);
        clearTimeout(timer);
        if (!res.writableEnded) res.end();
      },
    };
    const timer = timeoutSeconds > 0 ? setTimeout(watcher.end, timeoutSeconds * 1000) : undefined;
    for (const e of initial) watcher.send(e);
    watchers.add(watcher);
    res.on('close', watcher.end);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        handle(req, Buffer.concat(chunks).toString(), res);
      } catch (e) {
        send(res, status(400, 'BadRequest', (e as Error).message));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    // As if etcd compacted at a new revision: every version a client holds is now before it.
    expireWatchHistory: () => {
      expiredRv = ++rv;
      history = [];
    },
    closeAllWatches: () => [...watchers].forEach((w) => w.end()),
    close: async () => {
      [...watchers].forEach((w) => w.end());
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A JSON answer; a Status carries its own code. */
function send(res: ServerResponse, body: KubeObject | Status | object, code?: number): void {
  code ??= (body as Status).kind === 'Status' ? (body as Status).code : 200;
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
