import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetryPolicy } from '../../../lib/runtime/registry/retry';
import { AuthCache, TokenRequest } from '../../../lib/runtime/registry/token';
import { startTokenServer, TokenServer } from '../../support/registry/token-server';
import { FakeHandler, startFakeServer } from '../../support/registry/fake-server';

let server: TokenServer;
beforeAll(async () => {
  server = await startTokenServer({ issuer: 'iss', service: 'svc', users: { alice: 'secret' }, expiresInSeconds: 60 });
});
afterAll(async () => {
  await server?.close();
});

const retry: RetryPolicy = { retries: 0, backoffMs: 1, maxBackoffMs: 1, sleep: async () => undefined, now: Date.now };

function request(scope: string, password = 'secret'): TokenRequest {
  return {
    challenge: { scheme: 'bearer', params: { realm: server.realm, service: 'svc' } },
    scope,
    credentials: { username: 'alice', password },
    timeoutMs: 5000,
    // A plain-http registry on the token server's host, as the real-registry tests run them.
    registry: { host: '127.0.0.1:5000', insecure: true },
    retry,
  };
}

const hitsFor = (scope: string) => server.requests.filter((r) => r.scopes.includes(scope)).length;

describe('AuthCache.token', () => {
  it('fetches a token once per scope with basic credentials, then serves it from the cache', async () => {
    // GIVEN an empty cache
    const cache = new AuthCache();
    // WHEN the same scope is asked for three times, two of them at once
    const [a, b] = await Promise.all([cache.token(request('repository:one:pull')), cache.token(request('repository:one:pull'))]);
    const c = await cache.token(request('repository:one:pull'));
    // THEN the token server was asked once, as alice, for that scope and service
    expect(hitsFor('repository:one:pull')).toBe(1);
    expect(server.requests.find((r) => r.scopes.includes('repository:one:pull'))).toEqual({
      account: 'alice', service: 'svc', scopes: ['repository:one:pull'],
    });
    expect(new Set([a, b, c]).size).toBe(1);
    // AND another scope is another token
    await cache.token(request('repository:two:pull'));
    expect(hitsFor('repository:two:pull')).toBe(1);
  });

  it('fetches again once the token expires (issued_at + expires_in, less a margin), or when asked for a fresh one', async () => {
    // GIVEN a cache on a clock we control, holding a 60 s token
    let now = Date.now();
    const cache = new AuthCache(() => now);
    await cache.token(request('repository:three:pull'));
    // WHEN 50 s pass THEN the token is still used
    now += 50_000;
    await cache.token(request('repository:three:pull'));
    expect(hitsFor('repository:three:pull')).toBe(1);
    // WHEN 6 more seconds pass (inside the 5 s margin) THEN a new token is fetched
    now += 6_000;
    await cache.token(request('repository:three:pull'));
    expect(hitsFor('repository:three:pull')).toBe(2);
    // WHEN a fresh token is demanded (the registry rejected the cached one) THEN another fetch
    await cache.token(request('repository:three:pull'), { fresh: true });
    expect(hitsFor('repository:three:pull')).toBe(3);
  });

  it('fails with Unauthorized naming the user when the token server refuses the credentials', async () => {
    // GIVEN / WHEN a wrong password THEN a typed error
    await expect(new AuthCache().token(request('repository:four:pull', 'wrong'))).rejects.toMatchObject({
      reason: 'Unauthorized',
      status: 401,
      message: `token server ${server.realm} refused user "alice" for scope "repository:four:pull" (401)`,
    });
  });

  it('never sends credentials to a plain-http realm, unless the registry is plain http on the same host', async () => {
    // GIVEN a challenge whose realm is plain http
    const hits = server.requests.length;
    // WHEN the registry is https THEN no token is asked for, and nothing is sent
    await expect(new AuthCache().token({ ...request('repository:tls:pull'), registry: { host: 'registry.example.com', insecure: false } })).rejects.toThrowError(
      `the registry registry.example.com sent the token realm http://127.0.0.1:${new URL(server.realm).port}, which is not https (plain http is allowed only on the host of a plain-http registry): no token requested, no credentials sent`,
    );
    // AND a plain-http registry on another host may not send them elsewhere either
    await expect(new AuthCache().token({ ...request('repository:tls:pull'), registry: { host: 'evil.example:5000', insecure: true } })).rejects.toMatchObject({ reason: 'Unauthorized' });
    await expect(new AuthCache().token({ ...request('repository:tls:pull'), challenge: { scheme: 'bearer', params: { realm: 'ftp://127.0.0.1/token' } } })).rejects.toThrowError(/which is not https: no token requested/);
    expect(server.requests.length).toBe(hits);
  });

  it('fails when the challenge has no realm', async () => {
    const noRealm = { ...request('repository:five:pull'), challenge: { scheme: 'bearer', params: {} } };
    await expect(new AuthCache().token(noRealm)).rejects.toThrowError('the registry asked for a Bearer token without a realm');
  });
});

describe('AuthCache challenges', () => {
  it('remembers the last challenge per registry host', () => {
    const cache = new AuthCache();
    cache.rememberChallenge('r:5000', { scheme: 'basic', params: {} });
    expect(cache.challengeFor('r:5000')).toEqual({ scheme: 'basic', params: {} });
    expect(cache.challengeFor('r:5001')).toBeUndefined();
  });
});

describe('token responses', () => {
  /** A token endpoint answering with `handler`, and a cache on a clock we control. */
  async function withEndpoint(handler: FakeHandler, work: (req: TokenRequest, cache: AuthCache, clock: { now: number }) => Promise<void>) {
    const endpoint = await startFakeServer(handler);
    const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
    try {
      const req = { ...request('repository:x:pull'), challenge: { scheme: 'bearer', params: { realm: `${endpoint.url}/t` } } };
      await work(req, new AuthCache(() => clock.now), clock);
    } finally {
      await endpoint.close();
    }
  }

  it('reads access_token, defaults expires_in to 60 s and counts from issued_at', async () => {
    // GIVEN an endpoint that sends access_token only, issued 50 s before our clock, with no expires_in
    let hits = 0;
    await withEndpoint(
      (_req, res) => res.end(JSON.stringify({ access_token: `t${++hits}`, issued_at: '2025-12-31T23:59:10Z' })),
      async (req, cache, clock) => {
        // WHEN asked twice, 6 s apart
        expect(await cache.token(req)).toBe('t1');
        clock.now += 6_000;
        // THEN the second is a new token: issued_at + 60 s - 5 s margin has passed
        expect(await cache.token(req)).toBe('t2');
      },
    );
  });

  it('rejects bodies without a token or that are not JSON', async () => {
    await withEndpoint((_req, res) => res.end('{"expires_in": 10}'), async (req, cache) => {
      await expect(cache.token(req)).rejects.toMatchObject({ reason: 'InvalidResponse', message: expect.stringMatching(/ returned no "token"$/) });
    });
    await withEndpoint((_req, res) => res.end('<html>'), async (req, cache) => {
      await expect(cache.token(req)).rejects.toThrowError(/ returned a body that is not JSON$/);
    });
  });
});
