import * as http from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RegistryError } from '../errors';

export type StreamMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface StreamRequest {
  readonly method: StreamMethod;
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  /** A Buffer (sent with its length) or a stream (its bytes piped as they come). */
  readonly body?: Buffer | Readable;
  /** How long the connection may stay silent, either way: a layer may take minutes, a stall may not. */
  readonly idleTimeoutMs: number;
  readonly skipTlsVerify?: boolean;
}

/** Connections are reused between the many requests of a copy (HEADs, uploads, blob GETs). */
const AGENTS = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 32 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 32 }),
};

/**
 * One HTTP exchange whose answer is returned as soon as its headers arrive: the caller reads (or
 * pipes) the body, so a layer is never held whole in memory. A body stream is piped into the
 * request; if either side fails, both are destroyed. Failures become RegistryErrors.
 */
export function openExchange(request: StreamRequest): Promise<http.IncomingMessage> {
  const transport = request.url.protocol === 'https:' ? https : http;
  const target = `${request.method} ${request.url.origin}${request.url.pathname}`;
  return new Promise((resolve, reject) => {
    const body = request.body;
    const headers = { ...request.headers, ...(Buffer.isBuffer(body) ? { 'content-length': String(body.length) } : {}) };
    const req = transport.request(request.url, {
      method: request.method, headers, agent: AGENTS[request.url.protocol as 'http:' | 'https:'], rejectUnauthorized: !request.skipTlsVerify,
    });
    req.setTimeout(request.idleTimeoutMs, () => req.destroy(new RegistryError('Timeout', `${target}: no data for ${request.idleTimeoutMs} ms`)));
    req.on('error', (err) => reject(asRegistryError(err, target)));
    req.on('response', (res) => {
      res.on('error', () => undefined); // reported to whoever reads the body
      resolve(res);
    });
    if (body === undefined || Buffer.isBuffer(body)) return void req.end(body);
    pipeline(body, req).catch((err: Error) => req.destroy(asRegistryError(err, target)));
  });
}

/** The whole (small) body of an answer: manifests, error documents. */
export async function readBody(res: http.IncomingMessage, limit = 8 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      res.destroy();
      throw new RegistryError('InvalidResponse', `the answer was larger than ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Reads and forgets a body, so that the connection goes back to the pool. */
export async function discard(res: http.IncomingMessage): Promise<void> {
  res.resume();
  await new Promise<void>((resolve) => {
    if (res.complete || res.destroyed) return resolve();
    res.once('end', resolve);
    res.once('close', resolve);
  });
}

export function headerOf(res: http.IncomingMessage, name: string): string | undefined {
  const value = res.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function asRegistryError(err: Error, target: string): RegistryError {
  if (RegistryError.isRegistryError(err)) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE') {
    return new RegistryError('ConnectionReset', `${target} failed: the connection was cut (${err.message})`);
  }
  return new RegistryError('Unreachable', `${target} failed: ${err.message}`);
}
