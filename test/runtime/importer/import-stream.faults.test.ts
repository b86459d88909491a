import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ImageStream } from '../../../constructs';
import type { NamedTagEventList } from '../../../lib/api/imagestream';
import { importExitCode, importStream } from '../../../lib/runtime/importer/import-stream';
import { AuthCache } from '../../../lib/runtime/registry/token';
import { startFaultProxy, type FaultProxy } from '../../support/registry/fault-proxy';
import { pushImage, pushManifestList, retag } from '../../support/registry/images';
import { startRegistry, type RunningRegistry } from '../../support/registry/registry';
import { useTestKube } from '../../support/kube';
import { synthApp } from '../../support/synth-app';

const at = (minute: number) => () => new Date(Date.UTC(2026, 0, 1, 0, minute));
const GET = (method: string) => method === 'GET';
const HEAD = (method: string) => method === 'HEAD';

// The importer in front of the real registry (through the fault proxy) and the real API server, with
// streams synthesized by the constructs: a digest enters history only once it is verified, and a bad
// answer leaves the last good item where it was, with the reason in the tag's ImportSuccess condition.
describe('importStream verifies before it records', () => {
  const k = useTestKube('import-verify');
  let registry: RunningRegistry;
  let proxy: FaultProxy;
  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startFaultProxy(registry.host);
  });
  afterAll(async () => {
    await proxy?.close();
    await registry?.close();
  });
  beforeEach(() => proxy.setRule(() => undefined));

  /** Creates streams as the constructs synthesize them, in the test's namespace. */
  const create = (build: (chart: import('cdk8s').Chart) => void) =>
    k.apply(synthApp(({ chart }) => build(chart(k.namespace))).objects.filter((o) => o.kind === 'ImageStream'));
  const run = (stream: string, minute: number) =>
    importStream(k.kube, { namespace: k.namespace, stream, now: at(minute), registry: { authCache: new AuthCache(), timeoutMs: 5_000, backoffMs: 5 } });
  const statusOf = async (stream: string, tag: string): Promise<NamedTagEventList | undefined> =>
    (await k.streams().get(stream)).status?.tags?.find((t) => t.tag === tag);
  const images = async (stream: string, tag: string) => (await statusOf(stream, tag))?.items?.map((i) => i.image);
  const manifestGets = (since: number) => proxy.requests.slice(since).filter((r) => r.method === 'GET' && r.path.includes('/manifests/')).length;

  it('keeps the last good item and records the reason for each bad answer', async () => {
    // GIVEN app:v1 imported once (good)
    const good = (await pushImage(registry.host, 'team/app:v1')).digest;
    await create((chart) => new ImageStream(chart, 'app').importTag('v1', { from: `${proxy.host}/team/app:v1`, insecure: true }));
    expect(importExitCode(await run('app', 0))).toBe(0);
    // AND the tag moved in the registry
    await pushImage(registry.host, 'team/app:v1');
    const faults = [
      [{ kind: 'html' } as const, () => true, 'InvalidResponse'],
      [{ kind: 'truncate' } as const, GET, 'DigestMismatch'],
      [{ kind: 'digest', digest: `sha256:${'f'.repeat(64)}` } as const, HEAD, 'DigestMismatch'],
      [{ kind: 'mediaType', mediaType: 'application/json' } as const, GET, 'InvalidResponse'],
      [{ kind: 'reset' } as const, GET, 'ConnectionReset'],
      [{ kind: 'throttle', retryAfter: '3600' } as const, () => true, 'TooManyRequests'],
    ] as const;
    for (const [i, [fault, when, reason]] of faults.entries()) {
      // WHEN the registry's answers are broken that way
      proxy.setRule((r) => (when(r.method) ? fault : undefined));
      const report = await run('app', i + 1);
      // THEN the import fails with the reason, and history still holds only the good item
      expect(report.results[0], fault.kind).toMatchObject({ ok: false, reason });
      expect(await images('app', 'v1'), fault.kind).toEqual([good]);
      expect((await statusOf('app', 'v1'))!.conditions![0], fault.kind).toMatchObject({ type: 'ImportSuccess', status: 'False', reason });
    }
  });

  it('a HEAD that would move the tag back to an older item is confirmed by tag; a lie keeps the tag where it is', async () => {
    // GIVEN back:v1 imported at A, then at B (history B, A)
    const a = (await pushImage(registry.host, 'team/back:v1', { content: 'a' })).digest;
    await create((chart) => new ImageStream(chart, 'back').importTag('v1', { from: `${proxy.host}/team/back:v1`, insecure: true }));
    await run('back', 0);
    const b = (await pushImage(registry.host, 'team/back:v1', { content: 'b' })).digest;
    await run('back', 1);
    expect(await images('back', 'v1')).toEqual([b, a]);
    // WHEN a proxy's HEAD says A again (a stale cache) while the tag is at B
    proxy.setRule((r) => (HEAD(r.method) ? { kind: 'digest', digest: a } : undefined));
    const lied = await run('back', 2);
    // THEN DigestMismatch, and the tag stays at B
    expect(lied.results[0]).toMatchObject({ ok: false, reason: 'DigestMismatch' });
    expect(await images('back', 'v1')).toEqual([b, a]);
    // WHEN the tag really is pushed back to A THEN the GET by tag confirms it, and A is the newest item again
    proxy.setRule(() => undefined);
    await retag(registry.host, 'team/back:v1', a);
    const since = proxy.requests.length;
    expect((await run('back', 3)).moved).toEqual(['v1']);
    expect(await images('back', 'v1')).toEqual([a, b, a]);
    expect(proxy.requests.slice(since).map((r) => `${r.method} ${r.path}`)).toEqual(['HEAD /v2/team/back/manifests/v1', 'GET /v2/team/back/manifests/v1']);
  });

  it('costs 0 manifest GETs for unchanged tags and exactly one for each changed tag', async () => {
    // GIVEN 6 tags, imported once (each new digest verified with one GET)
    const names = ['t0', 't1', 't2', 't3', 't4', 't5'];
    for (const n of names) await pushImage(registry.host, `team/many:${n}`);
    await create((chart) => {
      const s = new ImageStream(chart, 'many');
      for (const n of names) s.importTag(n, { from: `${proxy.host}/team/many:${n}`, insecure: true });
    });
    let since = proxy.requests.length;
    await run('many', 0);
    expect(manifestGets(since)).toBe(6);
    // WHEN imported again unchanged THEN no GET
    since = proxy.requests.length;
    expect((await run('many', 1)).moved).toEqual([]);
    expect(manifestGets(since)).toBe(0);
    // WHEN two tags moved THEN two GETs
    await pushImage(registry.host, 'team/many:t1');
    await pushImage(registry.host, 'team/many:t4');
    since = proxy.requests.length;
    expect((await run('many', 2)).moved).toEqual(['t1', 't4']);
    expect(manifestGets(since)).toBe(2);
  });

  it('manifest lists from the real registry: Legacy picks are cached per list digest, PreserveOriginal records the list', async () => {
    // GIVEN a two-platform index pushed to the real registry, imported Legacy (amd64 and arm64) and PreserveOriginal
    const platforms = [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }];
    const first = await pushManifestList(registry.host, 'team/multi:v1', { platforms });
    const digestOf = (list: typeof first, arch: string) => list.manifests.find((m) => m.platform.architecture === arch)!.digest;
    await create((chart) => {
      const s = new ImageStream(chart, 'multi');
      const from = `${proxy.host}/team/multi:v1`;
      s.importTag('legacy', { from, insecure: true });
      s.importTag('arm', { from, insecure: true, preferredPlatform: 'linux/arm64' });
      s.importTag('original', { from, insecure: true, importMode: 'PreserveOriginal' });
    });
    let since = proxy.requests.length;
    await run('multi', 0);
    // THEN each tag fetched the list once; Legacy items note the list and the platform
    expect(manifestGets(since)).toBe(3);
    expect((await statusOf('multi', 'legacy'))!.items).toEqual([expect.objectContaining({ image: digestOf(first, 'amd64'), indexDigest: first.digest, platform: 'linux/amd64' })]);
    expect((await statusOf('multi', 'arm'))!.items).toEqual([expect.objectContaining({ image: digestOf(first, 'arm64'), indexDigest: first.digest, platform: 'linux/arm64' })]);
    expect((await statusOf('multi', 'original'))!.items).toEqual([expect.not.objectContaining({ indexDigest: expect.anything() })]);
    expect(await images('multi', 'original')).toEqual([first.digest]);
    // WHEN imported again with the list unchanged THEN no GET at all (Legacy used to GET the list every time)
    since = proxy.requests.length;
    expect((await run('multi', 1)).moved).toEqual([]);
    expect(manifestGets(since)).toBe(0);
    // WHEN a new list is pushed THEN one GET per tag, and each tag moves
    const second = await pushManifestList(registry.host, 'team/multi:v1', { platforms });
    since = proxy.requests.length;
    expect((await run('multi', 2)).moved).toEqual(['legacy', 'arm', 'original']);
    expect(manifestGets(since)).toBe(3);
    expect(await images('multi', 'legacy')).toEqual([digestOf(second, 'amd64'), digestOf(first, 'amd64')]);
    expect(await images('multi', 'original')).toEqual([second.digest, first.digest]);
  });
});
