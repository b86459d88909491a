import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryLimiter } from '../../../lib/runtime/registry/registry-limiter';
import { resolveMany } from '../../../lib/runtime/registry/resolve-many';
import { startFaultProxy, type FaultProxy } from '../../support/registry/fault-proxy';
import { pushImage } from '../../support/registry/images';
import { startRegistry, type RunningRegistry } from '../../support/registry/registry';

const TAGS = 24;

describe('RegistryLimiter, with the real registry behind a fault proxy', () => {
  let registry: RunningRegistry;
  let proxy: FaultProxy;
  const references = () => Array.from({ length: TAGS }, (_, i) => `${proxy.host}/limits/app:t${i}`);
  const manifestRequests = () => proxy.requests.filter((r) => r.path.includes('/manifests/'));

  beforeAll(async () => {
    registry = await startRegistry();
    for (let i = 0; i < TAGS; i++) await pushImage(registry.host, `limits/app:t${i}`);
  });
  afterAll(async () => {
    await registry?.close();
  });

  it('keeps at most the registry\'s limit of exchanges in flight, however many resolutions run at once', async () => {
    // GIVEN a limit of 3 for the proxied registry, and resolutions 24 at a time in two batches that share it
    proxy = await startFaultProxy(registry.host);
    const limiter = new RegistryLimiter({ concurrency: 16, byHost: { [proxy.host]: 3 } });
    // WHEN every tag is resolved
    const outcomes = (await Promise.all([0, 1].map(() => resolveMany(references(), { insecure: true, concurrency: TAGS, limiter })))).flat();
    // THEN all resolved, and the registry never saw more than 3 requests open at once
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(manifestRequests().length).toBeGreaterThanOrEqual(2 * TAGS);
    expect(proxy.maxInFlight).toBeLessThanOrEqual(3);
    expect(proxy.maxInFlight).toBeGreaterThan(1);
    await proxy.close();
  });

  it('holds every request to a registry that answered 429 with Retry-After until the wait is over, not only the one answered', async () => {
    // GIVEN a registry whose first manifest request is answered 429 Retry-After: 1
    proxy = await startFaultProxy(registry.host, (r) => (r.path.includes('/manifests/') && r.index === 0 ? { kind: 'throttle', retryAfter: '1' } : undefined));
    // (one exchange at a time: the answered request's retry sleeps outside its slot, so only the pause holds the others)
    const limiter = new RegistryLimiter({ concurrency: 1 });
    // WHEN 24 tags are resolved, 8 at a time
    const outcomes = await resolveMany(references(), { insecure: true, concurrency: 8, limiter });
    // THEN all resolved, and after the 429 the registry got nothing for a second
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    const [throttled, ...rest] = manifestRequests();
    expect(throttled.fault).toBe('throttle');
    expect(rest.filter((r) => r.atMs < throttled.atMs + 1000)).toEqual([]);
    expect(rest.length).toBeGreaterThanOrEqual(TAGS);
    await proxy.close();
  });
});
