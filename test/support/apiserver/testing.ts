/** Helpers for the stand-in's own tests: a started server and a tiny fetch-based client. */
import { ApiServer, startApiServer, ApiServerOptions } from './index';

/** Responses are arbitrary JSON; tests read fields freely and assert on them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

export interface Reply {
  status: number;
  body: Loose;
  headers: Headers;
}

export interface TestClient {
  server: ApiServer;
  get(path: string, headers?: Record<string, string>): Promise<Reply>;
  post(path: string, body: unknown): Promise<Reply>;
  put(path: string, body: unknown): Promise<Reply>;
  patch(path: string, body: unknown, contentType: string): Promise<Reply>;
  del(path: string, body?: unknown): Promise<Reply>;
}

async function call(url: string, method: string, body: unknown, headers: Record<string, string>): Promise<Reply> {
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  let parsed: Loose = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // plain text bodies (healthz) stay strings
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export function clientFor(server: ApiServer): TestClient {
  const json = { 'Content-Type': 'application/json' };
  return {
    server,
    get: (path, headers = {}) => call(server.url + path, 'GET', undefined, headers),
    post: (path, body) => call(server.url + path, 'POST', body, json),
    put: (path, body) => call(server.url + path, 'PUT', body, json),
    patch: (path, body, contentType) => call(server.url + path, 'PATCH', body, { 'Content-Type': contentType }),
    del: (path, body) => call(server.url + path, 'DELETE', body, json),
  };
}

export async function startTestServer(opts?: ApiServerOptions): Promise<TestClient> {
  return clientFor(await startApiServer(opts));
}

export interface WatchEvent {
  type: string;
  object: Loose;
}

/** Opens a watch and collects events until `count` arrived or the server ended the stream. */
export async function watchEvents(url: string, count: number, headers: Record<string, string> = {}): Promise<{ status: number; events: WatchEvent[]; ended: boolean }> {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal, headers });
  const events: WatchEvent[] = [];
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let ended = false;
  while (events.length < count) {
    const { done, value } = await reader.read();
    if (done) {
      ended = true;
      break;
    }
    buffer += decoder.decode(value, { stream: true });
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.trim()) events.push(JSON.parse(line) as WatchEvent);
    }
  }
  controller.abort();
  return { status: res.status, events, ended };
}

/** A watch opened now, whose events are read later (for "then something happens" tests). */
export function openWatch(url: string, count: number, headers: Record<string, string> = {}): Promise<{ status: number; events: WatchEvent[]; ended: boolean }> {
  return watchEvents(url, count, headers);
}

/** Polls a condition on the event loop (no timing assumptions): resolves once it holds. */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setImmediate(r));
}

/** Waits until `count` watches follow the resource (e.g. 'configmaps', 'deployments.apps'). */
export function watchersOpen(server: ApiServer, resource: string, count = 1): Promise<void> {
  return until(() => server.store.subscriberCount(resource) >= count);
}

export const CM = '/api/v1/namespaces/default/configmaps';

export function configMap(name: string, data: Record<string, string> = {}, labels?: Record<string, string>): Loose {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(labels ? { labels } : {}) }, data };
}

/** A CRD for tests: group imagestreams.dev, kind ImageStream (`is`), status subresource, printer columns. */
export function imageStreamCrd(overrides: { scope?: string; schema?: Loose } = {}): Loose {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'imagestreams.imagestreams.dev' },
    spec: {
      group: 'imagestreams.dev',
      scope: overrides.scope ?? 'Namespaced',
      names: { plural: 'imagestreams', singular: 'imagestream', kind: 'ImageStream', shortNames: ['is'] },
      versions: [
        {
          name: 'v1alpha1',
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: 'Image', type: 'string', jsonPath: '.status.tags[0].items[0].image' },
            { name: 'History', type: 'integer', jsonPath: '.spec.historyLimit' },
            { name: 'Created', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
          schema: { openAPIV3Schema: overrides.schema ?? IMAGE_STREAM_SCHEMA },
        },
      ],
    },
  };
}

export const IMAGE_STREAM_SCHEMA: Loose = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        historyLimit: { type: 'integer', default: 10, minimum: 1 },
        mode: { type: 'string', enum: ['Legacy', 'PreserveOriginal'] },
        tags: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: {
            type: 'object',
            required: ['name'],
            properties: { name: { type: 'string' }, from: { type: 'string' }, insecure: { type: 'boolean', default: false } },
          },
        },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
    status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
};

export const IS = '/apis/imagestreams.dev/v1alpha1/namespaces/default/imagestreams';

export function imageStream(name: string, spec: Loose = {}): Loose {
  return { apiVersion: 'imagestreams.dev/v1alpha1', kind: 'ImageStream', metadata: { name }, spec };
}

export async function withCrd(c: TestClient, crd: Loose = imageStreamCrd()): Promise<void> {
  const r = await c.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
  if (r.status !== 201) throw new Error(`CRD not created: ${JSON.stringify(r.body)}`);
}
