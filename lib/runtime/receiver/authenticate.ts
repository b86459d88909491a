import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ReceiverAuth } from '../../api/receiver';
import { headerValue, type Headers } from './payloads/event';

export interface Delivery {
  readonly headers: Headers;
  readonly body: Buffer;
  /** The URL path segment after `/hooks/<namespace>/<name>/`, for `path` auth. */
  readonly pathToken?: string;
}

/**
 * Whether the delivery comes from the holder of `token`, as its sender proves it. Every comparison is
 * in constant time, and on digests of equal length, so that neither the token nor its length leaks.
 */
export function authenticate(auth: ReceiverAuth, token: string, delivery: Delivery): boolean {
  if (token.length === 0) return false;
  switch (auth) {
    case 'bearer': return bearerMatches(headerValue(delivery.headers, 'authorization'), token);
    case 'path': return delivery.pathToken !== undefined && sameSecret(delivery.pathToken, token);
    case 'hmac-sha256': return signatureMatches(headerValue(delivery.headers, 'x-hub-signature-256'), token, delivery.body);
  }
}

/** `Bearer <token>` (distribution's configured header), or the bare token (Harbor's "Auth Header" as typed). */
function bearerMatches(value: string | undefined, token: string): boolean {
  if (value === undefined) return false;
  const presented = /^bearer\s+/i.test(value) ? value.replace(/^bearer\s+/i, '') : value;
  return sameSecret(presented.trim(), token);
}

/** GitHub's `sha256=<hex of HMAC-SHA256(secret, body)>`. */
function signatureMatches(value: string | undefined, secret: string, body: Buffer): boolean {
  if (value === undefined || !/^sha256=[0-9a-f]{64}$/i.test(value)) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(Buffer.from(value.slice(7).toLowerCase(), 'hex'), expected);
}

/**
 * A git host's signature of the body with the shared secret, when it sends one: GitHub's
 * `X-Hub-Signature-256: sha256=<hex>` (or only the older `X-Hub-Signature: sha1=<hex>`), Bitbucket's
 * `X-Hub-Signature: sha256=<hex>`. 'unsigned' when the delivery carries neither header.
 */
export function hubSignature(headers: Headers, secret: string, body: Buffer): 'unsigned' | 'valid' | 'invalid' {
  const values = [headerValue(headers, 'x-hub-signature-256'), headerValue(headers, 'x-hub-signature')].filter((v): v is string => v !== undefined);
  if (values.length === 0) return 'unsigned';
  const match = /^(sha256|sha1)=([0-9a-f]+)$/i.exec(values[0].trim());
  if (!match || match[2].length !== (match[1].toLowerCase() === 'sha256' ? 64 : 40)) return 'invalid';
  const expected = createHmac(match[1].toLowerCase(), secret).update(body).digest();
  return timingSafeEqual(Buffer.from(match[2].toLowerCase(), 'hex'), expected) ? 'valid' : 'invalid';
}

/** Equal secrets, compared through their HMACs under a per-process key: constant time whatever the lengths. */
export function sameSecret(presented: string, token: string): boolean {
  const a = createHmac('sha256', COMPARE_KEY).update(presented).digest();
  const b = createHmac('sha256', COMPARE_KEY).update(token).digest();
  return timingSafeEqual(a, b);
}

const COMPARE_KEY = randomBytes(32);
