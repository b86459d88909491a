import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../../lib/runtime/kube/client';
import type { ResourceRef } from '../../../lib/runtime/kube/resources';
import type { KubeObject } from '../../../lib/runtime/kube/types';
import { TokenCache, TokenUnavailableError } from '../../../lib/runtime/receiver/tokens';
import { testKube, type TestKube } from '../../support/kube';

// The receivers' tokens from Secrets on the real API server.
describe('TokenCache', () => {
  let t: TestKube;
  beforeAll(async () => {
    t = await testKube('tokens');
  });
  afterAll(() => t?.close());

  const secrets = () => t.kube.resource({ apiVersion: 'v1', resource: 'secrets', namespace: t.namespace });
  const put = (name: string, data: Record<string, string>) => secrets().apply(
    { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: t.namespace }, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])) },
    { fieldManager: 'test', force: true },
  );
  /** The admin's client, counting the Secret reads it makes. */
  const counting = () => {
    let reads = 0;
    const client: KubeClient = { ...t.kube, resource: <T extends KubeObject>(ref: ResourceRef) => { const r = t.kube.resource<T>(ref); return { ...r, get: (...a: Parameters<typeof r.get>) => (reads++, r.get(...a)) }; } };
    return { client, reads: () => reads };
  };

  it('reads the key "token" without surrounding whitespace, once per interval, and a rotated one after it', async () => {
    await put('hook', { token: '  0123456789abcdef0123\n' });
    let now = 0;
    const { client, reads } = counting();
    const cache = new TokenCache(client, { ttlMs: 10_000, now: () => now });
    expect(await Promise.all([cache.token(t.namespace, 'hook'), cache.token(t.namespace, 'hook')])).toEqual(['0123456789abcdef0123', '0123456789abcdef0123']);
    await put('hook', { token: 'rotated-rotated-rotated' });
    now = 9_999;
    expect(await cache.token(t.namespace, 'hook')).toBe('0123456789abcdef0123');
    now = 10_001;
    expect(await cache.token(t.namespace, 'hook')).toBe('rotated-rotated-rotated');
    expect(reads()).toBe(2);
  });

  it('explains a missing Secret, key or short token, without quoting the content, and keeps the failure as long', async () => {
    await put('no-key', { password: 'x' });
    await put('short', { token: 'secret-bits' });
    const { client, reads } = counting();
    const cache = new TokenCache(client, { now: () => 0 });
    await expect(cache.token(t.namespace, 'missing')).rejects.toThrowError(new TokenUnavailableError(`Secret "missing" not found in namespace "${t.namespace}"`));
    await expect(cache.token(t.namespace, 'no-key')).rejects.toThrowError('Secret "no-key" has no key "token"');
    await expect(cache.token(t.namespace, 'short')).rejects.toThrowError('Secret "short": the "token" is shorter than 16 characters');
    await expect(cache.token(t.namespace, 'missing')).rejects.toThrowError(TokenUnavailableError);
    expect(reads()).toBe(3);
  });
});
