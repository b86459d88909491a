import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ResolveOptions } from '../../../lib/runtime/registry/options';
import { resolveImage } from '../../../lib/runtime/registry/resolve';
import { startFaultProxy, type Fault, type FaultProxy } from '../../support/registry/fault-proxy';
import { pushImage, pushManifestList, type PushedManifestList } from '../../support/registry/images';
import { startRegistry, type RunningRegistry } from '../../support/registry/registry';

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

// resolveImage in front of the real registry, with the fault proxy giving the bad answers registries
// and proxies give: nothing it returns may be a digest it hasn't verified, unless the tag recorded it.
describe('resolveImage verifies a digest before returning it (real registry behind the fault proxy)', () => {
  let registry: RunningRegistry;
  let proxy: FaultProxy;
  let v1: string;
  let v2: string;
  let list: PushedManifestList;
  const waits: number[] = [];
  const options: ResolveOptions = { insecure: true, timeoutMs: 5_000, backoffMs: 5, sleep: async (ms) => void waits.push(ms) };
  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startFaultProxy(registry.host);
    // app:v1 first pointed at v1, then at v2 (its history: v2, v1)
    v1 = (await pushImage(registry.host, 'team/app:old')).digest;
    v2 = (await pushImage(registry.host, 'team/app:v1')).digest;
    list = await pushManifestList(registry.host, 'team/multi:v1', { platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }] });
  });
  afterAll(async () => {
    await proxy?.close();
    await registry?.close();
  });
  beforeEach(() => {
    proxy.setRule(() => undefined);
    waits.length = 0;
  });

  const image = (repoTag = 'team/app:v1') => `${proxy.host}/${repoTag}`;
  /** The manifest requests the proxy passed or broke since `since`. */
  const seen = (since: number) => proxy.requests.slice(since).filter((r) => r.path.includes('/manifests/')).map((r) => `${r.method} ${r.path.replace(/^\/v2\//, '')}${r.fault ? ` (${r.fault})` : ''}`);
  /** Breaks the requests that `when` picks with `fault`. */
  const inject = (fault: Fault, when: (method: string, path: string) => boolean = () => true) => proxy.setRule((r) => (when(r.method, r.path) ? fault : undefined));
  const GET = (method: string) => method === 'GET';
  const HEAD = (method: string) => method === 'HEAD';

  it('costs no GET for a digest the tag recorded last, and exactly one (by digest, verified) for a new one', async () => {
    const since = proxy.requests.length;
    // WHEN the tag is resolved with v2 recorded THEN HEAD only
    expect(await resolveImage(image(), { ...options, recorded: [{ digest: v2 }, { digest: v1 }] })).toMatchObject({ digest: v2, verified: 'recorded' });
    expect(seen(since)).toEqual(['HEAD team/app/manifests/v1']);
    // WHEN it is resolved with only v1 recorded THEN v2 is new: one GET by digest
    const since2 = proxy.requests.length;
    expect(await resolveImage(image(), { ...options, recorded: [{ digest: v1 }] })).toMatchObject({ digest: v2, verified: 'digest', mediaType: OCI_MANIFEST });
    expect(seen(since2)).toEqual(['HEAD team/app/manifests/v1', `GET team/app/manifests/${v2}`]);
  });

  it('refuses a 200 with an HTML page, on HEAD and on GET', async () => {
    // GIVEN a proxy that answers every request with a login page
    inject({ kind: 'html' });
    // WHEN resolved THEN InvalidResponse naming what came back (the HEAD had no digest, the GET by tag shows HTML)
    await expect(resolveImage(image(), options)).rejects.toMatchObject({
      reason: 'InvalidResponse', message: `${image()}: the registry answered with text/html, not a manifest`,
    });
    // AND the same for a GET by digest behind an honest HEAD
    inject({ kind: 'html' }, GET);
    await expect(resolveImage(image(), { ...options, recorded: [{ digest: v1 }] })).rejects.toMatchObject({ reason: 'InvalidResponse' });
  });

  it('refuses a truncated manifest: short of its digest, or cut before its Content-Length', async () => {
    // GIVEN GETs cut in half (sent in full length-less) WHEN resolved THEN the bytes don't hash to the digest
    inject({ kind: 'truncate' }, GET);
    await expect(resolveImage(image(), options)).rejects.toMatchObject({ reason: 'DigestMismatch', message: expect.stringMatching(new RegExp(`^the manifest of ${image()} hashes to sha256:[0-9a-f]{64}, but the registry says ${v2}$`)) });
    // GIVEN the original Content-Length, and the connection closed early WHEN resolved THEN retried, then ConnectionReset
    inject({ kind: 'truncate', declareLength: true }, GET);
    const since = proxy.requests.length;
    await expect(resolveImage(image(), options)).rejects.toMatchObject({ reason: 'ConnectionReset' });
    expect(seen(since)).toEqual(['HEAD team/app/manifests/v1', ...Array(4).fill(`GET team/app/manifests/${v2} (truncate)`)]);
  });

  it('refuses a HEAD digest that does not match the manifest: the registry has no such manifest', async () => {
    // GIVEN a HEAD whose Docker-Content-Digest is wrong
    const wrong = sha256('not the manifest');
    inject({ kind: 'digest', digest: wrong }, HEAD);
    // WHEN resolved THEN the GET by that digest finds nothing: DigestMismatch, not a recorded digest
    await expect(resolveImage(image(), { ...options, recorded: [{ digest: v1 }] })).rejects.toMatchObject({
      reason: 'DigestMismatch', message: `HEAD named ${wrong} for ${image()}, but the registry has no manifest ${wrong}`,
    });
  });

  it('refuses a wrong digest on every answer: the body hashes to something else', async () => {
    const wrong = sha256('lies');
    inject({ kind: 'digest', digest: wrong });
    await expect(resolveImage(`${image('team/app')}@${wrong}`, options)).rejects.toMatchObject({ reason: 'NotFound' });
    await expect(resolveImage(image(), { ...options, recorded: [{ digest: v1 }] })).rejects.toMatchObject({ reason: 'DigestMismatch' });
  });

  it('confirms with a GET by tag a HEAD digest that would move the tag back, and refuses it when the tag says otherwise', async () => {
    // GIVEN a proxy whose HEAD answers name v1, an image the tag had before (a stale cache)
    inject({ kind: 'digest', digest: v1 }, HEAD);
    const since = proxy.requests.length;
    // WHEN resolved with history v2, v1 THEN the tag (which serves v2) is fetched, and the move back refused
    await expect(resolveImage(image(), { ...options, recorded: [{ digest: v2 }, { digest: v1 }] })).rejects.toMatchObject({
      reason: 'DigestMismatch',
      message: `HEAD says ${image()} is ${v1}, an image it pointed at before, but the manifest served for the tag now hashes to ${v2} (a stale cache or a proxy between here and the registry?): the tag stays where it is`,
    });
    expect(seen(since)).toEqual(['HEAD team/app/manifests/v1 (digest)', 'GET team/app/manifests/v1']);
  });

  it('accepts a tag that really moved back to an older image, confirmed by tag', async () => {
    // GIVEN team/app:back at v1 with history v2, v1 (pushed back by its owner)
    const back = (await pushImage(registry.host, 'team/app:back', { content: 'back' })).digest;
    const newer = (await pushImage(registry.host, 'team/app:newer', { content: 'newer' })).digest;
    const since = proxy.requests.length;
    // WHEN resolved THEN the older digest, fetched by tag
    expect(await resolveImage(image('team/app:back'), { ...options, recorded: [{ digest: newer }, { digest: back }] })).toMatchObject({ digest: back, verified: 'tag' });
    expect(seen(since)).toEqual(['HEAD team/app/manifests/back', 'GET team/app/manifests/back']);
  });

  it.each([
    ['a schema 1 manifest', 'application/vnd.docker.distribution.manifest.v1+prettyjws'],
    ['plain JSON', 'application/json'],
  ])('refuses a manifest served as %s', async (_what, mediaType) => {
    inject({ kind: 'mediaType', mediaType });
    await expect(resolveImage(image(), options)).rejects.toMatchObject({
      reason: 'InvalidResponse', message: `${image()}: the registry answered with ${mediaType}, not a manifest`,
    });
  });

  it('waits as a 429 Retry-After asks, then resolves', async () => {
    // GIVEN a registry that throttles the first two requests
    let throttled = 0;
    proxy.setRule(() => (throttled++ < 2 ? { kind: 'throttle', retryAfter: '3' } : undefined));
    // WHEN resolved THEN it slept 3 s twice (as told, not its own 5 ms back-off) and got the digest
    expect((await resolveImage(image(), { ...options, recorded: [{ digest: v2 }] })).digest).toBe(v2);
    expect(waits).toEqual([3000, 3000]);
  });

  it('takes a slow body within its timeout, and gives up with Timeout beyond it', async () => {
    // GIVEN a GET body sent 64 bytes every 10 ms WHEN resolved with 5 s THEN verified
    inject({ kind: 'slow', chunkBytes: 64, delayMs: 10 }, GET);
    expect(await resolveImage(image(), options)).toMatchObject({ digest: v2, verified: 'digest' });
    // GIVEN 1 byte every 50 ms WHEN resolved with 300 ms THEN Timeout
    inject({ kind: 'slow', chunkBytes: 1, delayMs: 50 }, GET);
    await expect(resolveImage(image(), { ...options, timeoutMs: 300 })).rejects.toMatchObject({ reason: 'Timeout' });
  });

  it('retries a reset connection, and reports ConnectionReset when it keeps happening', async () => {
    // GIVEN the first request reset WHEN resolved THEN the retry resolves
    const first = proxy.requests.length;
    proxy.setRule((r) => (r.index === first ? { kind: 'reset' } : undefined));
    expect((await resolveImage(image(), { ...options, recorded: [{ digest: v2 }] })).digest).toBe(v2);
    expect(waits).toEqual([5]);
    // GIVEN every request reset THEN ConnectionReset after the retries
    inject({ kind: 'reset' });
    await expect(resolveImage(image(), options)).rejects.toMatchObject({ reason: 'ConnectionReset' });
  });

  describe('manifest lists', () => {
    const amd64 = () => list.manifests.find((m) => m.platform.architecture === 'amd64')!.digest;
    const arm64 = () => list.manifests.find((m) => m.platform.architecture === 'arm64')!.digest;

    it('Legacy: GETs a list once by digest, then never again while its digest is the one the newest item was picked from', async () => {
      // WHEN resolved with nothing recorded THEN the list fetched by digest, verified, amd64 picked
      let since = proxy.requests.length;
      const picked = await resolveImage(image('team/multi:v1'), options);
      expect(picked).toMatchObject({ digest: amd64(), verified: 'digest', platform: { os: 'linux', architecture: 'amd64', indexDigest: list.digest } });
      expect(seen(since)).toEqual(['HEAD team/multi/manifests/v1', `GET team/multi/manifests/${list.digest}`]);
      // WHEN resolved again with that pick recorded THEN HEAD only, same pick
      since = proxy.requests.length;
      const recorded = [{ digest: amd64(), indexDigest: list.digest, platform: 'linux/amd64' }];
      expect(await resolveImage(image('team/multi:v1'), { ...options, recorded })).toMatchObject({ digest: amd64(), verified: 'recorded', platform: { indexDigest: list.digest } });
      expect(seen(since)).toEqual(['HEAD team/multi/manifests/v1']);
      // WHEN another platform is preferred THEN the pick doesn't hold: one GET again
      since = proxy.requests.length;
      expect((await resolveImage(image('team/multi:v1'), { ...options, recorded, platform: { os: 'linux', architecture: 'arm64' } })).digest).toBe(arm64());
      expect(seen(since)).toHaveLength(2);
    });

    it('PreserveOriginal: the list digest, verified once, then HEAD only', async () => {
      let since = proxy.requests.length;
      expect(await resolveImage(image('team/multi:v1'), { ...options, importMode: 'PreserveOriginal' })).toMatchObject({ digest: list.digest, verified: 'digest', mediaType: 'application/vnd.oci.image.index.v1+json' });
      expect(seen(since)).toEqual(['HEAD team/multi/manifests/v1', `GET team/multi/manifests/${list.digest}`]);
      since = proxy.requests.length;
      expect(await resolveImage(image('team/multi:v1'), { ...options, importMode: 'PreserveOriginal', recorded: [{ digest: list.digest }] })).toMatchObject({ digest: list.digest, verified: 'recorded' });
      expect(seen(since)).toEqual(['HEAD team/multi/manifests/v1']);
    });

    it('Legacy: refuses a truncated list', async () => {
      inject({ kind: 'truncate' }, GET);
      await expect(resolveImage(image('team/multi:v1'), options)).rejects.toMatchObject({ reason: 'DigestMismatch' });
    });
  });
});
