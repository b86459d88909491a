import { RegistryError } from './errors';
import { header, HttpResponse } from './http';

export interface RetryPolicy {
  /** Retries after the first attempt for 429 and 5xx responses and reset connections. */
  readonly retries: number;
  /** First back-off; doubles on each retry. */
  readonly backoffMs: number;
  /** Longest wait between attempts; a Retry-After beyond it ends the retries at once. */
  readonly maxBackoffMs: number;
  /** Waits; tests pass a recorder instead of a timer. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Epoch milliseconds; for Retry-After given as an HTTP date. */
  readonly now: () => number;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs one exchange, repeating it while the registry answers 429 or 5xx or the connection is reset
 * (every exchange here is a GET or a HEAD: safe to repeat), with exponential back-off that honours
 * Retry-After. Other statuses are returned to the caller, which knows what they mean.
 */
export async function withRetries(
  what: string,
  policy: RetryPolicy,
  exchange: () => Promise<HttpResponse>,
): Promise<HttpResponse> {
  for (let attempt = 0; ; attempt++) {
    let response: HttpResponse;
    try {
      response = await exchange();
    } catch (error) {
      if (!RegistryError.isRegistryError(error) || error.reason !== 'ConnectionReset' || attempt >= policy.retries) throw error;
      await policy.sleep(Math.min(policy.backoffMs * 2 ** attempt, policy.maxBackoffMs));
      continue;
    }
    if (!isTransient(response.status)) return response;
    const asked = retryAfterMs(response, policy.now());
    const delay = Math.min(asked ?? policy.backoffMs * 2 ** attempt, policy.maxBackoffMs);
    if (attempt >= policy.retries || (asked ?? 0) > policy.maxBackoffMs) {
      throw transientError(what, response, attempt + 1, asked);
    }
    await policy.sleep(delay);
  }
}

function isTransient(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(response: HttpResponse, now: number): number | undefined {
  const value = header(response, 'retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function transientError(what: string, response: HttpResponse, attempts: number, asked?: number): RegistryError {
  const tooMany = response.status === 429;
  const gaveUp = `${what} returned ${response.status} after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
  const hint = asked !== undefined ? ` (Retry-After: ${Math.ceil(asked / 1000)}s)` : '';
  return new RegistryError(tooMany ? 'TooManyRequests' : 'ServerError', gaveUp + hint, response.status);
}
