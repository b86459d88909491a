import { describe, expect, it } from 'vitest';
import { HttpResponse } from '../../../lib/runtime/registry/http';
import { retryAfterMs, RetryPolicy, withRetries } from '../../../lib/runtime/registry/retry';

const NOW = Date.parse('2026-01-01T00:00:00Z');

function response(status: number, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers, body: Buffer.alloc(0) };
}

/** Answers with the given responses in turn and records the waits. */
function scripted(responses: HttpResponse[], overrides: Partial<RetryPolicy> = {}) {
  const waits: number[] = [];
  let calls = 0;
  const policy: RetryPolicy = {
    retries: 3, backoffMs: 100, maxBackoffMs: 10_000, now: () => NOW,
    sleep: async (ms) => { waits.push(ms); },
    ...overrides,
  };
  const exchange = async () => responses[calls++];
  return { policy, exchange, waits, calls: () => calls };
}

describe('withRetries', () => {
  it('retries 5xx with exponential back-off and returns the first non-transient answer', async () => {
    // GIVEN two 503s and then a 200
    const s = scripted([response(503), response(502), response(200)]);
    // WHEN run THEN it waited 100 then 200 ms and returns the 200
    expect((await withRetries('GET x', s.policy, s.exchange)).status).toBe(200);
    expect(s.waits).toEqual([100, 200]);
  });

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    // GIVEN 429s that ask for 2 s and for a date 3 s ahead
    const date = new Date(NOW + 3000).toUTCString();
    const s = scripted([response(429, { 'retry-after': '2' }), response(429, { 'retry-after': date }), response(404)]);
    // WHEN run THEN those are the waits, and the 404 is returned as it is
    expect((await withRetries('GET x', s.policy, s.exchange)).status).toBe(404);
    expect(s.waits).toEqual([2000, 3000]);
  });

  it('gives up after the configured retries with a typed error', async () => {
    // GIVEN a registry that always answers 500, and one retry allowed
    const s = scripted([response(500), response(500), response(500)], { retries: 1 });
    // WHEN run THEN two attempts were made and the error says so
    await expect(withRetries('GET http://r/v2/', s.policy, s.exchange)).rejects.toThrowError(
      'GET http://r/v2/ returned 500 after 2 attempts',
    );
    await expect(withRetries('GET x', scripted([response(503)], { retries: 0 }).policy, async () => response(503)))
      .rejects.toMatchObject({ reason: 'ServerError', status: 503 });
    expect(s.calls()).toBe(2);
  });

  it('fails at once with TooManyRequests when Retry-After is beyond the longest wait', async () => {
    // GIVEN a 429 asking for an hour
    const s = scripted([response(429, { 'retry-after': '3600' })]);
    // WHEN run THEN it does not wait at all
    await expect(withRetries('HEAD x', s.policy, s.exchange)).rejects.toMatchObject({
      reason: 'TooManyRequests',
      message: 'HEAD x returned 429 after 1 attempt (Retry-After: 3600s)',
    });
    expect(s.waits).toEqual([]);
  });

  it('caps exponential back-off at the longest wait', async () => {
    const s = scripted([response(500), response(500), response(500), response(200)], { backoffMs: 4000, maxBackoffMs: 10_000 });
    await withRetries('GET x', s.policy, s.exchange);
    expect(s.waits).toEqual([4000, 8000, 10_000]);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds, dates in the past as 0, and ignores garbage', () => {
    expect(retryAfterMs(response(429, { 'retry-after': ' 5 ' }), NOW)).toBe(5000);
    expect(retryAfterMs(response(429, { 'retry-after': new Date(NOW - 9000).toUTCString() }), NOW)).toBe(0);
    expect(retryAfterMs(response(429, { 'retry-after': 'soon' }), NOW)).toBeUndefined();
    expect(retryAfterMs(response(429), NOW)).toBeUndefined();
  });
});
