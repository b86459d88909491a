import type { IncomingMessage } from 'node:http';
import { RegistryError, type RegistryErrorReason } from '../errors';
import { readBody } from './stream-http';

/** Failures that may pass when the same step is tried again: the registry or the way to it, not the image. */
export const PASSING_REASONS: ReadonlySet<string> = new Set<RegistryErrorReason>(['TooManyRequests', 'ServerError', 'Timeout', 'Unreachable', 'ConnectionReset']);

/** An answer the step did not expect, as a RegistryError: the reason from the status, the registry's own error code in the message. */
export async function failure(res: IncomingMessage, what: string): Promise<RegistryError> {
  const status = res.statusCode ?? 0;
  const code = await errorCode(res);
  const message = `${what}: the registry answered ${status}${code ? ` (${code})` : ''}`;
  return new RegistryError(reasonFor(status, code), message, status);
}

function reasonFor(status: number, code: string | undefined): RegistryErrorReason {
  if (code === 'DIGEST_INVALID' || code === 'SIZE_INVALID') return 'DigestMismatch';
  if (status === 404) return 'NotFound';
  if (status === 401) return 'Unauthorized';
  if (status === 403 || status === 405) return 'Forbidden';
  if (status === 429) return 'TooManyRequests';
  if (status >= 500) return 'ServerError';
  return 'InvalidResponse';
}

/** `DIGEST_INVALID` from a distribution error body `{errors: [{code, message}]}`. */
async function errorCode(res: IncomingMessage): Promise<string | undefined> {
  try {
    const body = await readBody(res, 64 * 1024);
    const code = (JSON.parse(body.toString('utf8')) as { errors?: Array<{ code?: unknown }> }).errors?.[0]?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}
