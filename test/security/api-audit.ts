/**
 * An audit of what one client asks of the API server: a plain-http proxy on loopback in front of the
 * real kube-apiserver that forwards every request untouched (the client's own token included, watches
 * streamed) and records it as RBAC sees it — verb, API group, resource and subresource, namespace,
 * name — with the status the server answered. A kubeconfig pointing at it lets the runtime's own
 * commands run unchanged while the test learns exactly which permissions they used.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeconfigJson } from '../support/cluster/client';

/** One request, in the terms of RBAC's request attributes. */
export interface AuditedRequest {
  readonly verb: string;
  /** '' for the core group. */
  readonly group: string;
  /** `pipelineruns`, or `imagestreams/status` with its subresource. */
  readonly resource: string;
  /** Absent for cluster-scoped resources. */
  readonly namespace?: string;
  readonly name?: string;
  readonly status: number;
}

export interface ApiAudit {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** A kubeconfig (JSON file) that sends `token` through the proxy, context namespace `namespace`. */
  kubeconfigFor(token: string, namespace: string): string;
  /** Every request answered so far (a watch counts once its answer starts). */
  requests(): AuditedRequest[];
  close(): Promise<void>;
}

/** Starts the proxy in front of the cluster at `target` (https, its CA `caPem`). */
export async function startApiAudit(target: { url: string; caPem: string }): Promise<ApiAudit> {
  const upstream = new URL(target.url);
  const agent = new https.Agent({ ca: target.caPem, keepAlive: true });
  const recorded: AuditedRequest[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'api-audit-'));
  const server = http.createServer((req, res) => {
    const forward = https.request(
      { hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host }, agent },
      (answer) => {
        recorded.push({ ...requestAttributes(req.method ?? 'GET', req.url ?? '/'), status: answer.statusCode ?? 0 });
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', (error) => res.destroy(error));
    res.on('close', () => forward.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let files = 0;
  return {
    url,
    kubeconfigFor(token, namespace) {
      const path = join(dir, `kubeconfig-${++files}.json`);
      writeFileSync(path, kubeconfigJson(url, target.caPem, token, namespace), { mode: 0o600 });
      return path;
    },
    requests: () => [...recorded],
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

/** RBAC's attributes of a resource request (as kube-apiserver's RequestInfoFactory derives them). */
export function requestAttributes(method: string, url: string): Omit<AuditedRequest, 'status'> {
  const parsed = new URL(url, 'http://audit');
  const parts = parsed.pathname.split('/').filter(Boolean);
  const [prefix, ...rest] = parts;
  const group = prefix === 'apis' ? rest[0] : '';
  let tail = prefix === 'apis' ? rest.slice(2) : rest.slice(1);
  let namespace: string | undefined;
  // namespaces/<ns>/<resource>…; `namespaces/<name>` alone is the Namespace itself.
  if (tail[0] === 'namespaces' && tail.length >= 3) {
    namespace = tail[1];
    tail = tail.slice(2);
  }
  const [resource, name, subresource] = tail;
  const watch = ['true', '1'].includes(parsed.searchParams.get('watch') ?? '');
  const verb = ({
    GET: name ? 'get' : watch ? 'watch' : 'list',
    POST: 'create',
    PUT: 'update',
    PATCH: 'patch',
    DELETE: name ? 'delete' : 'deletecollection',
  } as Record<string, string>)[method] ?? method.toLowerCase();
  return { verb, group, resource: subresource ? `${resource}/${subresource}` : resource, ...(namespace ? { namespace } : {}), ...(name ? { name } : {}) };
}

/** `verb resource.group` (the core group without a dot), as permissions are listed in the tests. */
export function permissionOf(request: Pick<AuditedRequest, 'verb' | 'group' | 'resource'>): string {
  const [resource, subresource] = request.resource.split('/');
  return `${request.verb} ${resource}${request.group ? `.${request.group}` : ''}${subresource ? `/${subresource}` : ''}`;
}
