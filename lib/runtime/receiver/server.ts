import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_RECEIVER_MAX_BODY_BYTES } from '../../api/receiver';
import { errorText, type Logger } from '../machinery/logger';
import type { Headers } from './payloads/event';
import { gitWebhookRoute, type GitWebhookRoute } from './git-webhooks/route';

/** Where a delivery was posted: `/hooks/<namespace>/<name>[/<token>]`. */
export interface HookRoute {
  readonly namespace: string;
  readonly name: string;
  readonly pathToken?: string;
}

export interface DeliveryAnswer {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
  /** e.g. Retry-After on a 429. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ReceiverServerOptions {
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** @default '0.0.0.0' (every interface of the pod) */
  readonly host?: string;
  /** Larger bodies are refused with 413, unread. @default 1 MiB */
  readonly maxBodyBytes?: number;
  /** A delivery must arrive whole within this, headers included. @default 10_000 */
  readonly requestTimeoutMs?: number;
  /** Connections open at once; more are refused. @default 256 */
  readonly maxConnections?: number;
  /** Whether the caches are filled (`/readyz`). */
  readonly ready: () => boolean;
  readonly deliver: (route: HookRoute, headers: Headers, body: Buffer) => Promise<DeliveryAnswer>;
  /** BuildConfig webhooks at OpenShift's URL (gitWebhookRoute). @default - not served (404) */
  readonly gitWebhook?: (route: GitWebhookRoute, headers: Headers, body: Buffer) => Promise<DeliveryAnswer>;
  readonly log: Logger;
}

const HOOK_PATH = /^\/hooks\/([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)\/([a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?)(?:\/([A-Za-z0-9._~-]{1,512}))?\/?$/;

/**
 * The controller's HTTP listener for registry push notifications: `POST /hooks/<namespace>/<name>`
 * (plus `/<token>` for senders that authenticate by secret path), BuildConfig webhooks at OpenShift's
 * `POST /apis/build.openshift.io/v1/namespaces/<ns>/buildconfigs/<name>/webhooks/<secret>/<type>`,
 * `GET /healthz` and `GET /readyz`.
 * Bodies are capped (413, refused from Content-Length before reading when it says more), slow
 * senders are cut at the request timeout, and the number of connections is bounded.
 */
export class ReceiverServer {
  private readonly server: http.Server;

  constructor(private readonly options: ReceiverServerOptions) {
    const requestTimeout = options.requestTimeoutMs ?? 10_000;
    // Node checks the timeouts every connectionsCheckingInterval (30 s by default): often enough for ours.
    const timeouts = { requestTimeout, headersTimeout: Math.min(requestTimeout, 5_000), connectionsCheckingInterval: Math.max(100, Math.min(1_000, requestTimeout / 4)) };
    this.server = http.createServer(timeouts, (req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        options.log.log('error', 'receiver failed', { error: errorText(error) });
        answer(res, { status: 500, body: { error: 'internal error' } });
      });
    });
    this.server.maxConnections = options.maxConnections ?? 256;
    this.server.keepAliveTimeout = 5_000;
  }

  /** Listens; resolves with the port. */
  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host ?? '0.0.0.0', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops listening; deliveries in flight get a second to finish, then every connection is closed. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const cut = setTimeout(() => this.server.closeAllConnections(), 1_000);
    await closed;
    clearTimeout(cut);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz' || path === '/readyz') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return answer(res, { status: 405, body: { error: 'use GET' } });
      const ok = path === '/healthz' || this.options.ready();
      return answer(res, { status: ok ? 200 : 503, body: { status: ok ? 'ok' : 'starting' } });
    }
    const match = HOOK_PATH.exec(path);
    const git = this.options.gitWebhook && gitWebhookRoute(path);
    if (!match && !git) return answer(res, { status: 404, body: { error: 'not found' } });
    if (req.method !== 'POST') return answer(res, { status: 405, body: { error: 'use POST' } }, { allow: 'POST' });
    const body = await readBody(req, this.options.maxBodyBytes ?? DEFAULT_RECEIVER_MAX_BODY_BYTES);
    if (body === 'too large') return answer(res, { status: 413, body: { error: `the body is larger than ${this.options.maxBodyBytes ?? DEFAULT_RECEIVER_MAX_BODY_BYTES} bytes` } }, { connection: 'close' });
    if (body === 'aborted') return;
    if (git) return answer(res, await this.options.gitWebhook!(git, req.headers, body));
    answer(res, await this.options.deliver({ namespace: match![1], name: match![2], pathToken: match![3] }, req.headers, body));
  }
}

/** The whole body, 'too large' past `max` bytes (from Content-Length, or as it arrives), or 'aborted'. */
function readBody(req: http.IncomingMessage, max: number): Promise<Buffer | 'too large' | 'aborted'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    req.resume();
    return Promise.resolve('too large');
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > max) {
        done = true;
        req.resume();
        return resolve('too large');
      }
      chunks.push(chunk);
    });
    req.on('end', () => !done && (done = true, resolve(Buffer.concat(chunks))));
    req.on('error', () => !done && (done = true, resolve('aborted')));
    req.on('aborted', () => !done && (done = true, resolve('aborted')));
  });
}

function answer(res: http.ServerResponse, { status, body, headers: own }: DeliveryAnswer, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...own, ...headers });
  res.end(`${JSON.stringify(body)}\n`);
}
