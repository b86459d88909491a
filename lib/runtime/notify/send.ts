import * as http from 'node:http';
import * as https from 'node:https';
import type { Rendered } from './formats';

/** A delivery that didn't go through; `retryable` when trying again may help (5xx, 429, the network). */
export class DeliveryError extends Error {
  constructor(message: string, readonly retryable: boolean) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface SendOptions {
  /** @default 10_000 */
  readonly timeoutMs?: number;
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  readonly userAgent?: string;
}

/**
 * POSTs a rendered notification; resolves on any 2xx. The URL is never put in messages: it is a
 * secret (Slack's hooks carry their credential in the path).
 */
export function send(address: string, rendered: Rendered, options: SendOptions = {}): Promise<number> {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return Promise.reject(new DeliveryError('the address is not a URL', false));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.reject(new DeliveryError(`the address is not http(s) but ${url.protocol}`, false));
  const transport = url.protocol === 'https:' ? https : http;
  const body = Buffer.from(rendered.body);
  return new Promise((resolve, reject) => {
    const req = transport.request(url, {
      method: 'POST',
      timeout: options.timeoutMs ?? 10_000,
      headers: {
        'content-type': rendered.contentType, 'content-length': body.length, 'user-agent': options.userAgent ?? 'imagestreams-controller',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
    }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) return resolve(status);
      reject(new DeliveryError(`the receiver answered ${status}`, status >= 500 || status === 429 || status === 408));
    });
    req.on('timeout', () => req.destroy(new DeliveryError(`no answer within ${options.timeoutMs ?? 10_000} ms`, true)));
    req.on('error', (error) => reject(error instanceof DeliveryError ? error : new DeliveryError(`the receiver can't be reached (${(error as NodeJS.ErrnoException).code ?? error.message})`, true)));
    req.end(body);
  });
}
