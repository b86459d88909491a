import * as http from 'node:http';
import * as https from 'node:https';
import type { KubeClientConfig } from './config';
import { noCredentials } from './credentials';
import { toKubeApiError } from './errors';

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query, relative to the server URL. */
  readonly path: string;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** @default 'application/json' */
  readonly contentType?: string;
  readonly signal?: AbortSignal;
}

export interface HttpTransport {
  /** Sends the request and parses the JSON answer; a non-2xx answer throws a KubeApiError. */
  json<T>(request: HttpRequest): Promise<T>;
  /** Opens a long-lived response (watch); a non-2xx answer throws a KubeApiError. */
  stream(request: HttpRequest): Promise<http.IncomingMessage>;
  /** Closes the idle keep-alive sockets. */
  close(): void;
}

export function createTransport(config: KubeClientConfig): HttpTransport {
  const url = new URL(config.server);
  const secure = url.protocol === 'https:';
  if (!secure && url.protocol !== 'http:') throw new Error(`'server' (${config.server}) must be an http:// or https:// URL`);
  const agent = secure
    ? new https.Agent({
        keepAlive: true,
        ca: config.ca,
        cert: config.clientCert,
        key: config.clientKey,
        rejectUnauthorized: !config.insecureSkipTlsVerify,
      })
    : new http.Agent({ keepAlive: true });
  const basePath = url.pathname.replace(/\/$/, '');
  const credentials = config.credentials ?? noCredentials();
  const timeoutMs = config.requestTimeoutMs ?? 30_000;

  async function sendOnce(request: HttpRequest, signal: AbortSignal): Promise<http.IncomingMessage> {
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
    const authorization = await credentials.authorization();
    if (authorization) headers.authorization = authorization;
    if (body !== undefined) {
      headers['content-type'] = request.contentType ?? 'application/json';
      headers['content-length'] = Buffer.byteLength(body);
    }
    const options: http.RequestOptions = {
      protocol: url.protocol, hostname: url.hostname.replace(/^\[|\]$/g, ''), port: url.port || undefined,
      method: request.method, path: basePath + request.path, headers, agent, signal,
    };
    return new Promise((resolve, reject) => {
      const req = (secure ? https : http).request(options, resolve);
      req.on('error', reject);
      req.end(body);
    });
  }

  /** A 401 means the token may have rotated or expired: fetch a fresh one and try once more. */
  async function send(request: HttpRequest, signal: AbortSignal): Promise<http.IncomingMessage> {
    const first = await sendOnce(request, signal);
    if (first.statusCode !== 401) return first;
    first.resume();
    credentials.invalidate();
    return sendOnce(request, signal);
  }

  async function withDeadline<T>(request: HttpRequest, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, deadline.signal]) : deadline.signal;
    try {
      return await work(signal);
    } catch (error) {
      if (deadline.signal.aborted) throw new Error(`${label(request)}: no answer within ${timeoutMs} ms`);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    json: <T>(request: HttpRequest) =>
      withDeadline(request, async (signal) => {
        const res = await send(request, signal);
        const text = await readBody(res);
        if (!isSuccess(res)) throw toKubeApiError(res.statusCode ?? 0, text, label(request), header(res, 'retry-after'));
        return (text === '' ? undefined : JSON.parse(text)) as T;
      }),
    async stream(request: HttpRequest) {
      // Only the wait for headers has a deadline; the caller guards the body (it may idle for minutes).
      const res = await withDeadline(request, (signal) => send(request, signal));
      if (!isSuccess(res)) {
        throw toKubeApiError(res.statusCode ?? 0, await readBody(res), label(request), header(res, 'retry-after'));
      }
      return res;
    },
    close: () => agent.destroy(),
  };
}

function label(request: HttpRequest): string {
  return `${request.method} ${request.path}`;
}

function isSuccess(res: http.IncomingMessage): boolean {
  const code = res.statusCode ?? 0;
  return code >= 200 && code < 300;
}

function header(res: http.IncomingMessage, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(res: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
