import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerConfig } from '../../../lib/runtime/registry/auth';
import { AuthCache } from '../../../lib/runtime/registry/token';
import { resolveTags } from '../../../lib/runtime/importer/resolve-tags';
import type { ImportableTag } from '../../../lib/runtime/importer/select-tags';
import { pushImage, pushManifestList, type PushedImage, type PushedManifestList } from '../../support/registry/images';
import { startRegistry, type RunningRegistry } from '../../support/registry/registry';

const ALICE = { username: 'alice', password: 'wonderland' };
const tag = (name: string, image: string, policy: ImportableTag['importPolicy'] = {}): ImportableTag =>
  ({ name, from: { kind: 'DockerImage', name: image }, importPolicy: { insecure: true, ...policy } });
const dockerConfig = (host: string, username: string, password: string): DockerConfig =>
  ({ auths: { [host]: { auth: Buffer.from(`${username}:${password}`).toString('base64') } } });
/** A fresh auth cache per call, so that no challenge or token learnt by an earlier test helps. */
const fresh = () => ({ registry: { authCache: new AuthCache(), timeoutMs: 10_000 } });

describe('resolveTags against the real registry (anonymous)', () => {
  let registry: RunningRegistry;
  let app: PushedImage;
  let list: PushedManifestList;
  beforeAll(async () => {
    registry = await startRegistry();
    app = await pushImage(registry.host, 'team/app:v1');
    list = await pushManifestList(registry.host, 'team/multi:v1', {
      platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }],
    });
  });
  afterAll(async () => registry?.close());

  const since = async () => (await registry.accessLog()).length;
  const manifestRequests = async (from: number) =>
    (await registry.accessLog()).slice(from).filter((e) => e.path.includes('/manifests/')).map((e) => `${e.method} ${e.path}`);

  it('resolves a tag it recorded with HEAD only, and a new one with one verifying GET by digest', async () => {
    // GIVEN a tag that has the image recorded WHEN resolved THEN no manifest GET
    let from = await since();
    const item = { dockerImageReference: `${registry.host}/team/app@${app.digest}`, image: app.digest, created: '2026-01-01T00:00:00Z' };
    const [result] = await resolveTags([tag('latest', `${registry.host}/team/app:v1`)], { ...fresh(), status: [{ tag: 'latest', items: [item] }] });
    expect(result).toEqual({
      tag: 'latest', from: `${registry.host}/team/app:v1`, ok: true,
      image: app.digest, dockerImageReference: `${registry.host}/team/app@${app.digest}`,
    });
    expect(await manifestRequests(from)).toEqual(['HEAD /v2/team/app/manifests/v1']);
    // GIVEN a tag with nothing recorded (another tag's history doesn't count) WHEN resolved THEN one GET by digest
    from = await since();
    await resolveTags([tag('other', `${registry.host}/team/app:v1`)], { ...fresh(), status: [{ tag: 'latest', items: [item] }] });
    expect(await manifestRequests(from)).toEqual(['HEAD /v2/team/app/manifests/v1', `GET /v2/team/app/manifests/${app.digest}`]);
  });

  it('imports a manifest list as one platform (Legacy) or as the list itself (PreserveOriginal)', async () => {
    const image = `${registry.host}/team/multi:v1`;
    const arm64 = list.manifests.find((m) => m.platform.architecture === 'arm64')!.digest;
    const amd64 = list.manifests.find((m) => m.platform.architecture === 'amd64')!.digest;
    const results = await resolveTags([
      tag('legacy', image),
      tag('legacy-arm64', image, { importMode: 'Legacy', preferredPlatform: 'linux/arm64' }),
      tag('original', image, { importMode: 'PreserveOriginal' }),
    ], fresh());
    expect(results.map((r) => (r.ok ? r.image : r.reason))).toEqual([amd64, arm64, list.digest]);
  });

  it('reports each bad tag with its reason and still resolves the others, in spec order', async () => {
    const results = await resolveTags([
      tag('missing', `${registry.host}/team/app:nope`),
      tag('bad-ref', `${registry.host}/Team/App:v1`),
      tag('good', `${registry.host}/team/app:v1`),
      tag('bad-platform', `${registry.host}/team/multi:v1`, { preferredPlatform: 'arm64' }),
      tag('no-such-platform', `${registry.host}/team/multi:v1`, { preferredPlatform: 'linux/s390x' }),
    ], { ...fresh(), concurrency: 2 });
    expect(results.map((r) => [r.tag, r.ok ? r.image : r.reason])).toEqual([
      ['missing', 'NotFound'],
      ['bad-ref', 'InvalidReference'],
      ['good', app.digest],
      ['bad-platform', 'InvalidPlatform'],
      ['no-such-platform', 'PlatformNotFound'],
    ]);
    expect(results[0]).toMatchObject({ message: `${registry.host}/team/app:nope not found: manifest unknown` });
  });
});

describe('resolveTags with registry auth', () => {
  let basic: RunningRegistry;
  let token: RunningRegistry;
  let basicImage: PushedImage;
  let tokenImage: PushedImage;
  beforeAll(async () => {
    [basic, token] = await Promise.all([startRegistry({ auth: 'htpasswd' }), startRegistry({ auth: 'token' })]);
    basicImage = await pushImage(basic.host, 'private/app:v1', { credentials: ALICE });
    tokenImage = await pushImage(token.host, 'private/app:v1', { credentials: ALICE });
  });
  afterAll(async () => {
    await basic?.close();
    await token?.close();
  });

  it('uses basic auth from a dockerconfigjson for an htpasswd registry', async () => {
    const [result] = await resolveTags([tag('v1', `${basic.host}/private/app:v1`)], { ...fresh(), dockerConfig: dockerConfig(basic.host, 'alice', 'wonderland') });
    expect(result).toMatchObject({ ok: true, image: basicImage.digest });
  });

  it('gets a Bearer token with the dockerconfigjson credentials for a token registry', async () => {
    const before = token.tokenServer!.requests.length;
    const [result] = await resolveTags([tag('v1', `${token.host}/private/app:v1`)], { ...fresh(), dockerConfig: dockerConfig(token.host, 'alice', 'wonderland') });
    expect(result).toMatchObject({ ok: true, image: tokenImage.digest });
    expect(token.tokenServer!.requests.slice(before)).toEqual([{ account: 'alice', service: 'test-registry', scopes: ['repository:private/app:pull'] }]);
  });

  it('gives Unauthorized for wrong credentials after at most two requests per tag (no retry storm)', async () => {
    // GIVEN wrong credentials WHEN 3 tags are resolved
    const from = (await basic.accessLog()).length;
    const results = await resolveTags(
      ['v1', 'v2', 'v3'].map((t) => tag(t, `${basic.host}/private/app:${t}`)),
      { ...fresh(), dockerConfig: dockerConfig(basic.host, 'alice', 'wrong'), concurrency: 1 },
    );
    // THEN each is Unauthorized, and the registry saw only the challenge and one authenticated try per tag
    expect(results.map((r) => (r.ok ? 'ok' : r.reason))).toEqual(['Unauthorized', 'Unauthorized', 'Unauthorized']);
    expect(results[0]).toMatchObject({ message: `${basic.host} rejected the credentials of user "alice" for private/app` });
    const requests = (await basic.accessLog()).slice(from);
    expect(requests.length).toBeGreaterThanOrEqual(3);
    expect(requests.length).toBeLessThanOrEqual(6);
    expect(requests.every((e) => e.status === 401)).toBe(true);
  });

  it('gives Unauthorized without credentials for a token registry', async () => {
    const [result] = await resolveTags([tag('v1', `${token.host}/private/app:v1`)], fresh());
    expect(result).toMatchObject({ ok: false, reason: 'Unauthorized' });
  });
});
