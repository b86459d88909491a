/** The HTTP server: non-resource paths (discovery, version, health) and dispatch to resource handlers. */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from './discovery';
import { StatusError } from './errors';
import { openApiGroupVersion, openApiRoot } from './openapi';
import { notFoundPath, Reply, Request, ResourceHandler } from './handlers';
import { ResourceRegistry } from './registry';
import { resolveResource, splitApiPath } from './routes';

export interface ServerParts {
  registry: ResourceRegistry;
  handler: ResourceHandler;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: Reply): void {
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.code, { 'Content-Type': typeof reply.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Paths kubectl probes that are not resources. OpenAPI v2 is absent (404); v3 is minimal (see openapi.ts). */
function nonResource(parts: ServerParts, path: string, host: string): Reply | undefined {
  if (path === '/version') return { code: 200, body: versionInfo() };
  if (path === '/healthz' || path === '/readyz' || path === '/livez') return { code: 200, body: 'ok' };
  if (path === '/api' || path === '/api/') return { code: 200, body: apiVersions(host) };
  if (path === '/apis' || path === '/apis/') return { code: 200, body: apiGroupList(parts.registry) };
  if (path === '/openapi/v3' || path === '/openapi/v3/') return { code: 200, body: openApiRoot(parts.registry) };
  const oa = /^\/openapi\/v3\/(?:api\/([^/]+)|apis\/([^/]+)\/([^/]+))$/.exec(path);
  if (oa) return { code: 200, body: oa[1] ? openApiGroupVersion(parts.registry, '', oa[1]) : openApiGroupVersion(parts.registry, oa[2], oa[3]) };
  const m = /^\/apis\/([^/]+)\/?$/.exec(path);
  if (m) return { code: 200, body: apiGroup(parts.registry, m[1]) ?? undefined };
  return undefined;
}

function route(parts: ServerParts, req: Request, res: ServerResponse): Reply | undefined {
  const path = req.url.pathname;
  const fixed = nonResource(parts, path, req.headers.host ?? '');
  if (fixed) {
    if (fixed.body === undefined) throw notFoundPath();
    return fixed;
  }
  const api = splitApiPath(path);
  if (!api) throw notFoundPath();
  if (api.rest.length === 0) {
    const list = apiResourceList(parts.registry, api.group, api.version);
    if (!list) throw notFoundPath();
    return { code: 200, body: list };
  }
  const r = resolveResource(parts.registry, api.group, api.version, api.rest);
  if (!r || 'notFound' in r) throw notFoundPath();
  return parts.handler.handle(r, req, res);
}

export function createApiHttpServer(parts: ServerParts): Server {
  return createServer((incoming, res) => {
    readBody(incoming)
      .then((raw) => {
        const url = new URL(incoming.url ?? '/', 'http://stand-in');
        const req: Request = { method: incoming.method ?? 'GET', url, headers: incoming.headers, body: raw.toString('utf8'), raw };
        try {
          const reply = route(parts, req, res);
          if (reply) send(res, reply);
        } catch (e) {
          if (e instanceof StatusError) send(res, { code: e.status.code, body: e.status });
          else send(res, { code: 500, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: String((e as Error).stack ?? e), reason: 'InternalError', code: 500 } });
        }
      })
      .catch(() => res.destroy());
  });
}
