import * as http from 'node:http';
import * as https from 'node:https';
import { RegistryError } from './errors';

export interface HttpRequest {
  readonly method: 'GET' | 'HEAD' | 'DELETE';
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  /** Whole exchange, connect to last body byte. */
  readonly timeoutMs: number;
  /** Skip TLS certificate verification (only meaningful for https URLs). */
  readonly skipTlsVerify?: boolean;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Manifests are at most 4 MiB in distribution; anything much larger is not a manifest. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** One HTTP exchange with node's client; failures become RegistryErrors (Timeout, Unreachable, ConnectionReset). */
export function send(request: HttpRequest): Promise<HttpResponse> {
  const transport = request.url.protocol === 'https:' ? https : http;
  const target = `${request.method} ${request.url.origin}${request.url.pathname}`;
  let timer: NodeJS.Timeout | undefined;
  return new Promise<HttpResponse>((resolve, reject) => {
    const req = transport.request(request.url, {
      method: request.method,
      headers: request.headers,
      rejectUnauthorized: !request.skipTlsVerify,
    });
    timer = setTimeout(() => {
      req.destroy(new RegistryError('Timeout', `${target} timed out after ${request.timeoutMs} ms`));
    }, request.timeoutMs);
    const fail = (err: Error): void => reject(asRegistryError(err, target));
    req.on('error', fail);
    req.on('response', (res) => collect(req, res, target).then(resolve, fail));
    req.end();
  }).finally(() => clearTimeout(timer));
}

/** Reads the whole body, refusing more than a manifest could be. */
function collect(req: http.ClientRequest, res: http.IncomingMessage, target: string): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else req.destroy(new RegistryError('InvalidResponse', `${target} returned more than ${MAX_BODY_BYTES} bytes`));
    });
    res.on('error', reject);
    res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
  });
}

/** A single header value (node joins repeated ones into arrays only for a few headers). */
export function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function asRegistryError(err: Error, target: string): RegistryError {
  if (RegistryError.isRegistryError(err)) return err;
  // Reset before an answer, or in the middle of a body: the exchange may well work when repeated.
  if ((err as NodeJS.ErrnoException).code === 'ECONNRESET') return new RegistryError('ConnectionReset', `${target} failed: the connection was reset (${err.message})`);
  return new RegistryError('Unreachable', `${target} failed: ${err.message}`);
}
