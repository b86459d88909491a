import * as http from 'node:http';
import type * as net from 'node:net';

/**
 * What the proxy does to one exchange instead of passing it through untouched:
 * - `html`: 200 with an HTML page (a captive portal, a login page, a misrouted load balancer)
 * - `truncate`: the registry's answer cut after `keepBytes` bytes of body (half by default); with
 *   `declareLength` the original Content-Length is still sent, so the client sees the connection end early
 * - `digest`: the registry's answer with Docker-Content-Digest replaced
 * - `mediaType`: the registry's answer with Content-Type replaced
 * - `throttle`: 429 with `Retry-After` (nothing reaches the registry)
 * - `slow`: the registry's answer, its body sent `chunkBytes` at a time every `delayMs`
 * - `reset`: the connection reset without an answer
 * - `status`: that status (a 500, a 503) with a distribution error body, once the request's body is
 *   in; nothing reaches the registry
 * - `redirect`: 307 to `location` (a blob served from storage or a CDN, as most registries do)
 * - `paginate`: not a fault — tags/list served page by page as distribution 3 and most registries do
 *   (`?n=` up to `pageSize` and `?last=` honoured, lexical order, `Link: <…>; rel="next"` while more remain), from the
 *   real registry's tags (Debian's distribution 2.8 sends them all at once, in storage order)
 */
export type Fault =
  | { readonly kind: 'html' }
  | { readonly kind: 'truncate'; readonly keepBytes?: number; readonly declareLength?: boolean }
  | { readonly kind: 'digest'; readonly digest: string }
  | { readonly kind: 'mediaType'; readonly mediaType: string }
  | { readonly kind: 'throttle'; readonly retryAfter: string }
  | { readonly kind: 'slow'; readonly chunkBytes: number; readonly delayMs: number }
  | { readonly kind: 'reset' }
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'paginate'; readonly pageSize?: number };

export interface ProxiedRequest {
  readonly method: string;
  /** Request URI including any query. */
  readonly path: string;
  /** Counts the requests the proxy received, from 0. */
  readonly index: number;
}

/** Picks the fault for a request; undefined passes it through. */
export type FaultRule = (request: ProxiedRequest) => Fault | undefined;

export interface FaultProxy {
  /** `127.0.0.1:PORT`: use it as the registry host of image references. */
  readonly host: string;
  /** Every request received, oldest first, with the fault it got and when it came (epoch ms). */
  readonly requests: ReadonlyArray<ProxiedRequest & { readonly fault?: Fault['kind']; readonly atMs: number }>;
  /** The most exchanges it had open at once (a request received, its answer not yet sent). */
  readonly maxInFlight: number;
  /** Replaces the rule (the default passes everything through). */
  setRule(rule: FaultRule): void;
  close(): Promise<void>;
}

const HTML = '<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form action="/login"></form></body></html>\n';

/**
 * A plain-http proxy on loopback in front of a real registry (`upstream`, `127.0.0.1:PORT`) that
 * injects the bad answers registries and the proxies in front of them give. Everything it does not
 * break comes from the real registry, byte for byte.
 */
export interface FaultProxyOptions {
  /**
   * Tell the registry the proxy's address (X-Forwarded-Host), so that the Locations it answers
   * (blob uploads) point back through the proxy rather than at the registry itself. @default false
   */
  readonly forwardedHost?: boolean;
}

export async function startFaultProxy(upstream: string, rule: FaultRule = () => undefined, options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const requests: Array<ProxiedRequest & { fault?: Fault['kind']; atMs: number }> = [];
  let current = rule;
  let inFlight = 0;
  let maxInFlight = 0;
  const [upstreamHost, upstreamPort] = upstream.split(':');
  const server = http.createServer((req, res) => {
    const request = { method: req.method ?? 'GET', path: req.url ?? '/', index: requests.length };
    const fault = current(request);
    requests.push({ ...request, ...(fault ? { fault: fault.kind } : {}), atMs: Date.now() });
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    res.once('close', () => inFlight--);
    if (fault?.kind === 'reset') return void req.socket.resetAndDestroy();
    if (fault?.kind === 'redirect') return void res.writeHead(307, { location: fault.location, 'content-length': '0' }).end();
    if (fault?.kind === 'status') {
      // Answered once the request's body is in, as a registry that failed to store it would.
      const body = JSON.stringify({ errors: [{ code: 'UNKNOWN', message: 'injected by the fault proxy' }] });
      req.on('end', () => void res.writeHead(fault.status, { 'content-type': 'application/json' }).end(req.method === 'HEAD' ? undefined : body));
      return void req.resume();
    }
    if (fault?.kind === 'throttle') return void res.writeHead(429, { 'retry-after': fault.retryAfter, 'content-type': 'text/plain' }).end('slow down\n');
    if (fault?.kind === 'html') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(HTML) }).end(req.method === 'HEAD' ? undefined : HTML);
    const forward = http.request({ host: upstreamHost, port: Number(upstreamPort), method: req.method, path: req.url, headers: { ...req.headers, host: upstream, ...(options.forwardedHost ? { 'x-forwarded-host': req.headers.host } : {}) } }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => void respond(req, res, answer, Buffer.concat(chunks), fault));
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    setRule: (next) => void (current = next),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Sends the registry's answer, changed as `fault` says. */
async function respond(req: http.IncomingMessage, res: http.ServerResponse, answer: http.IncomingMessage, body: Buffer, fault: Fault | undefined): Promise<void> {
  if (fault?.kind === 'paginate' && answer.statusCode === 200 && /\/tags\/list(\?|$)/.test(req.url ?? '')) return paginate(req, res, body, fault.pageSize);
  const headers = { ...answer.headers };
  if (fault?.kind === 'digest') headers['docker-content-digest'] = fault.digest;
  if (fault?.kind === 'mediaType') headers['content-type'] = fault.mediaType;
  const head = req.method === 'HEAD';
  if (fault?.kind === 'truncate' && !head) {
    const kept = body.subarray(0, fault.keepBytes ?? Math.floor(body.length / 2));
    if (!fault.declareLength) delete headers['content-length'];
    res.writeHead(answer.statusCode ?? 502, headers);
    res.write(kept);
    // With the original length declared, the client must notice the body ended early.
    return void (fault.declareLength ? res.socket?.destroy() : res.end());
  }
  res.writeHead(answer.statusCode ?? 502, headers);
  if (fault?.kind === 'slow' && !head) {
    for (let at = 0; at < body.length; at += fault.chunkBytes) {
      if (res.destroyed) return;
      res.write(body.subarray(at, at + fault.chunkBytes));
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    }
    return void res.end();
  }
  res.end(head ? undefined : body);
}

/** One page of the tags the registry listed, with the Link to the next. */
function paginate(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, pageSize = 100): void {
  const url = new URL(req.url ?? '/', 'http://proxy');
  const { name, tags } = JSON.parse(body.toString('utf8')) as { name: string; tags: string[] };
  const last = url.searchParams.get('last');
  // A registry caps the page at its own size, whatever n asks for.
  const n = Math.min(Number(url.searchParams.get('n') ?? pageSize), pageSize);
  const rest = [...tags].sort().filter((t) => last === null || t > last);
  const page = rest.slice(0, n);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (rest.length > page.length) headers.link = `<${url.pathname}?last=${encodeURIComponent(page[page.length - 1])}&n=${n}>; rel="next"`;
  res.writeHead(200, headers).end(JSON.stringify({ name, tags: page }));
}
