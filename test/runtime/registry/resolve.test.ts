import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dockerConfigFromSecret } from '../../../lib/runtime/registry/auth';
import { ResolveOptions } from '../../../lib/runtime/registry/options';
import { resolveImage } from '../../../lib/runtime/registry/resolve';
import { AuthCache } from '../../../lib/runtime/registry/token';
import { FakeHandler, FakeServer, startFakeServer } from '../../support/registry/fake-server';
import { deleteTag, pushImage, pushManifestList, PushedManifestList } from '../../support/registry/images';
import { RunningRegistry, startRegistry } from '../../support/registry/registry';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const ALICE = { username: 'alice', password: 'wonderland' };
const sha256 = (bytes: Buffer | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const local: ResolveOptions = { insecure: true, timeoutMs: 10_000 };

/** A kubernetes.io/dockerconfigjson Secret for one registry. */
function pullSecret(registryKey: string, entry: object) {
  const json = JSON.stringify({ auths: { [registryKey]: entry } });
  return { metadata: { name: 'pull' }, data: { '.dockerconfigjson': Buffer.from(json).toString('base64') } };
}

describe('resolveImage against the real registry (anonymous)', () => {
  let registry: RunningRegistry;
  let list: PushedManifestList;
  beforeAll(async () => {
    registry = await startRegistry();
    list = await pushManifestList(registry.host, 'team/multi:v1', {
      platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }],
    });
  });
  afterAll(async () => {
    await registry?.close();
  });

  /** Manifest requests the registry saw since `since` (an index into its access log). */
  const manifestRequests = async (since: number) =>
    (await registry.accessLog()).slice(since).filter((e) => e.path.includes('/manifests/')).map((e) => `${e.method} ${e.path}`);

  it('resolves a tag with HEAD, and verifies a digest it has not recorded with one GET by digest', async () => {
    // GIVEN a pushed image
    const { digest } = await pushImage(registry.host, 'team/app:v1');
    let since = (await registry.accessLog()).length;
    // WHEN its tag is resolved with nothing recorded
    const image = await resolveImage(`${registry.host}/team/app:v1`, local);
    // THEN the digest is the pushed one, fetched once by digest and verified
    expect(image).toEqual({
      reference: { registry: registry.host, repository: 'team/app', tag: 'v1' },
      digest,
      mediaType: OCI_MANIFEST,
      dockerImageReference: `${registry.host}/team/app@${digest}`,
      verified: 'digest',
    });
    expect(await manifestRequests(since)).toEqual(['HEAD /v2/team/app/manifests/v1', `GET /v2/team/app/manifests/${digest}`]);
    // WHEN resolved again with that digest recorded THEN HEAD only: the access log shows no GET
    since = (await registry.accessLog()).length;
    expect((await resolveImage(`${registry.host}/team/app:v1`, { ...local, recorded: [{ digest }] })).verified).toBe('recorded');
    expect(await manifestRequests(since)).toEqual(['HEAD /v2/team/app/manifests/v1']);
  });

  it('follows a moved tag to the new digest', async () => {
    // GIVEN a tag resolved once
    const first = await pushImage(registry.host, 'team/moving:v1');
    expect((await resolveImage(`${registry.host}/team/moving:v1`, local)).digest).toBe(first.digest);
    // WHEN another image is pushed to the tag
    const second = await pushImage(registry.host, 'team/moving:v1');
    // THEN resolving again gives the new digest
    expect((await resolveImage(`${registry.host}/team/moving:v1`, local)).digest).toBe(second.digest);
    expect(second.digest).not.toBe(first.digest);
  });

  it('fails with NotFound for a deleted tag and for a repository that never existed, without retrying', async () => {
    // GIVEN a tag that was deleted
    await pushImage(registry.host, 'team/gone:v1');
    await deleteTag(registry.host, 'team/gone:v1');
    const since = (await registry.accessLog()).length;
    // WHEN resolved THEN NotFound, after a single HEAD
    await expect(resolveImage(`${registry.host}/team/gone:v1`, local)).rejects.toMatchObject({
      reason: 'NotFound',
      status: 404,
      message: `${registry.host}/team/gone:v1 not found: manifest unknown`,
    });
    expect(await manifestRequests(since)).toEqual(['HEAD /v2/team/gone/manifests/v1']);
    await expect(resolveImage(`${registry.host}/nobody/here:v1`, local)).rejects.toThrowError(
      `${registry.host}/nobody/here:v1 not found: manifest unknown`,
    );
  });

  it('Legacy: picks linux/amd64 out of a manifest list by GETting the list once', async () => {
    // GIVEN a two-platform list
    const since = (await registry.accessLog()).length;
    // WHEN resolved in Legacy mode with the default platform
    const image = await resolveImage(`${registry.host}/team/multi:v1`, { ...local, importMode: 'Legacy' });
    // THEN the amd64 manifest is the digest, the list is recorded, and the list was fetched by digest
    const amd64 = list.manifests.find((m) => m.platform.architecture === 'amd64')!;
    expect(image.digest).toBe(amd64.digest);
    expect(image.dockerImageReference).toBe(`${registry.host}/team/multi@${amd64.digest}`);
    expect(image.platform).toEqual({ os: 'linux', architecture: 'amd64', indexDigest: list.digest, indexMediaType: OCI_INDEX, requested: 'linux/amd64' });
    expect(await manifestRequests(since)).toEqual([
      'HEAD /v2/team/multi/manifests/v1',
      `GET /v2/team/multi/manifests/${list.digest}`,
    ]);
  });

  it('Legacy: picks the preferred platform, and says which platforms exist when it is missing', async () => {
    const arm64 = list.manifests.find((m) => m.platform.architecture === 'arm64')!;
    const image = await resolveImage(`${registry.host}/team/multi:v1`, { ...local, platform: { os: 'linux', architecture: 'arm64' } });
    expect(image.digest).toBe(arm64.digest);
    await expect(
      resolveImage(`${registry.host}/team/multi:v1`, { ...local, platform: { os: 'linux', architecture: 's390x' } }),
    ).rejects.toMatchObject({
      reason: 'PlatformNotFound',
      message: `${registry.host}/team/multi:v1 has no linux/s390x image (it has linux/amd64, linux/arm64)`,
    });
  });

  it('PreserveOriginal: returns the list digest, with HEAD only once it is recorded', async () => {
    // GIVEN the list, recorded WHEN resolved preserving the original
    const since = (await registry.accessLog()).length;
    const image = await resolveImage(`${registry.host}/team/multi:v1`, { ...local, importMode: 'PreserveOriginal', recorded: [{ digest: list.digest }] });
    // THEN the list itself is the digest and nothing was fetched
    expect(image).toMatchObject({ digest: list.digest, mediaType: OCI_INDEX });
    expect(image.platform).toBeUndefined();
    expect(await manifestRequests(since)).toEqual(['HEAD /v2/team/multi/manifests/v1']);
  });

  it('verifies a digest-pinned reference with HEAD and one GET by digest, and returns it', async () => {
    // GIVEN a pushed image, pinned by digest
    const { digest } = await pushImage(registry.host, 'team/pinned:v1');
    const since = (await registry.accessLog()).length;
    // WHEN resolved THEN the same digest, one HEAD and one GET by digest (the body hashed and parsed)
    const image = await resolveImage(`${registry.host}/team/pinned@${digest}`, local);
    expect(image.digest).toBe(digest);
    expect(image.verified).toBe('digest');
    expect(image.dockerImageReference).toBe(`${registry.host}/team/pinned@${digest}`);
    expect(await manifestRequests(since)).toEqual([`HEAD /v2/team/pinned/manifests/${digest}`, `GET /v2/team/pinned/manifests/${digest}`]);
    // AND a digest the registry doesn't have is NotFound
    const missing = `sha256:${'0'.repeat(64)}`;
    await expect(resolveImage(`${registry.host}/team/pinned@${missing}`, local)).rejects.toThrowError(
      `${registry.host}/team/pinned@${missing} not found: manifest unknown`,
    );
  });

  it('talks https unless insecure, so a plain-http registry is unreachable', async () => {
    await expect(resolveImage(`${registry.host}/team/multi:v1`, { timeoutMs: 5000 })).rejects.toMatchObject({ reason: 'Unreachable' });
  });
});

describe('resolveImage with credentials from a pull secret', () => {
  it('uses basic auth from the `auth` field for an htpasswd registry', async () => {
    // GIVEN an htpasswd registry with an image, and a secret for it
    const registry = await startRegistry({ auth: 'htpasswd', users: { alice: 'wonderland' } });
    try {
      const { digest } = await pushImage(registry.host, 'team/app:v1', { credentials: ALICE });
      const secret = pullSecret(`http://${registry.host}`, { auth: Buffer.from('alice:wonderland').toString('base64') });
      // WHEN resolved with the secret's config
      const image = await resolveImage(`${registry.host}/team/app:v1`, { ...local, dockerConfig: dockerConfigFromSecret(secret) });
      // THEN it succeeds; without the secret it is Unauthorized
      expect(image.digest).toBe(digest);
      await expect(resolveImage(`${registry.host}/team/app:v1`, local)).rejects.toMatchObject({ reason: 'Unauthorized' });
    } finally {
      await registry.close();
    }
  });

  it('gets a Bearer token with username/password and caches it across resolutions', async () => {
    // GIVEN a token-auth registry with an image, and a secret for it
    const registry = await startRegistry({ auth: 'token', users: { alice: 'wonderland' } });
    try {
      const { digest } = await pushImage(registry.host, 'team/app:v1', { credentials: ALICE });
      const dockerConfig = dockerConfigFromSecret(pullSecret(registry.host, { username: 'alice', password: 'wonderland' }));
      const options = { ...local, dockerConfig, authCache: new AuthCache() };
      const before = registry.tokenServer!.requests.length;
      // WHEN the tag is resolved three times
      const digests = [];
      for (let i = 0; i < 3; i++) digests.push((await resolveImage(`${registry.host}/team/app:v1`, options)).digest);
      // THEN each gives the digest and the token server was hit once, for pull, as alice
      expect(digests).toEqual([digest, digest, digest]);
      expect(registry.tokenServer!.requests.slice(before)).toEqual([
        { account: 'alice', service: 'test-registry', scopes: ['repository:team/app:pull'] },
      ]);
    } finally {
      await registry.close();
    }
  });
});

describe('resolveImage against injected faults', () => {
  let server: FakeServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const MANIFEST = Buffer.from(`{\n  "schemaVersion": 2,\n  "mediaType": "${OCI_MANIFEST}",\n  "config": {},\n  "layers": []\n}\n`);
  const serve = async (handler: FakeHandler) => {
    server = await startFakeServer(handler);
    return `${server.host}/team/app:v1`;
  };
  const requests = () => server!.requests.map((r) => `${r.method} ${r.path}`);
  const waits: number[] = [];
  const fast: ResolveOptions = { ...local, backoffMs: 10, sleep: async (ms) => void waits.push(ms) };

  it('GETs the manifest and hashes its exact bytes when HEAD has no Docker-Content-Digest', async () => {
    // GIVEN a registry that sends no digest header
    const ref = await serve((req, res) => res.writeHead(200, { 'content-type': OCI_MANIFEST }).end(req.method === 'GET' ? MANIFEST : undefined));
    // WHEN resolved THEN the digest is the sha256 of the bytes as served (whitespace included)
    expect((await resolveImage(ref, fast)).digest).toBe(sha256(MANIFEST));
    expect(requests()).toEqual(['HEAD /v2/team/app/manifests/v1', 'GET /v2/team/app/manifests/v1']);
  });

  it('fails with DigestMismatch when the GET body does not hash to the digest header', async () => {
    // GIVEN a HEAD without digest and a GET whose header lies
    const wrong = sha256('something else');
    const ref = await serve((req, res) =>
      req.method === 'HEAD' ? res.writeHead(200).end() : res.writeHead(200, { 'docker-content-digest': wrong }).end(MANIFEST),
    );
    // WHEN resolved THEN a typed mismatch names both digests
    await expect(resolveImage(ref, fast)).rejects.toMatchObject({
      reason: 'DigestMismatch',
      message: `the manifest of ${ref} hashes to ${sha256(MANIFEST)}, but the registry says ${wrong}`,
    });
  });

  it('fails with DigestMismatch when a pinned digest is served as another', async () => {
    const pinned = sha256('pinned');
    const other = sha256('other');
    server = await startFakeServer((_req, res) => res.writeHead(200, { 'docker-content-digest': other, 'content-type': OCI_MANIFEST }).end());
    await expect(resolveImage(`${server.host}/team/app@${pinned}`, fast)).rejects.toThrowError(
      `${server.host}/team/app@${pinned} is served with digest ${other}`,
    );
  });

  it('retries 429 honouring Retry-After (seconds and HTTP date), then succeeds', async () => {
    // GIVEN a registry that throttles twice
    waits.length = 0;
    const digest = sha256('x');
    const date = new Date(Date.now() + 20_000).toUTCString();
    const ref = await serve((_req, res, i) => {
      if (i === 0) res.writeHead(429, { 'retry-after': '2' }).end();
      else if (i === 1) res.writeHead(429, { 'retry-after': date }).end();
      else res.writeHead(200, { 'docker-content-digest': digest, 'content-type': OCI_MANIFEST }).end();
    });
    // WHEN resolved (the digest recorded) THEN it waited as asked and got the digest on the third HEAD
    expect((await resolveImage(ref, { ...fast, recorded: [{ digest }] })).digest).toBe(digest);
    expect(waits[0]).toBe(2000);
    expect(waits[1]).toBeGreaterThan(10_000);
    expect(waits[1]).toBeLessThanOrEqual(20_000);
    expect(requests()).toHaveLength(3);
  });

  it('retries 5xx three times by default with exponential back-off, then fails with ServerError', async () => {
    // GIVEN a registry that always answers 503
    waits.length = 0;
    const ref = await serve((_req, res) => res.writeHead(503).end());
    // WHEN resolved THEN 4 attempts, waits 10/20/40 ms, and a typed error
    await expect(resolveImage(ref, fast)).rejects.toMatchObject({
      reason: 'ServerError',
      status: 503,
      message: `HEAD http://${server!.host}/v2/team/app/manifests/v1 returned 503 after 4 attempts`,
    });
    expect(waits).toEqual([10, 20, 40]);
    expect(requests()).toHaveLength(4);
  });

  it('uses the configured number of retries and fails with TooManyRequests', async () => {
    const ref = await serve((_req, res) => res.writeHead(429).end());
    await expect(resolveImage(ref, { ...fast, retries: 1 })).rejects.toMatchObject({ reason: 'TooManyRequests', status: 429 });
    expect(requests()).toHaveLength(2);
  });

  it.each([
    [403, 'Forbidden', (ref: string) => `access to ${ref} is forbidden (403)`],
    [404, 'NotFound', (ref: string) => `${ref} not found: manifest unknown`],
    [400, 'InvalidResponse', (ref: string) => `the registry answered 400 for ${ref}`],
  ])('does not retry %s (%s)', async (status, reason, message) => {
    const ref = await serve((_req, res) => res.writeHead(status).end());
    await expect(resolveImage(ref, fast)).rejects.toMatchObject({ reason, status, message: message(ref) });
    expect(requests()).toHaveLength(1);
  });

  it('reads the error code of a GET 404 body', async () => {
    // GIVEN HEAD says the manifest exists without a digest, but GET finds the name unknown
    const ref = await serve((req, res) =>
      req.method === 'HEAD'
        ? res.writeHead(200).end()
        : res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"NAME_UNKNOWN","message":"x"}]}'),
    );
    await expect(resolveImage(ref, fast)).rejects.toThrowError(`${ref} not found: name unknown`);
  });

  it('fails with Timeout, without retrying, when the registry hangs', async () => {
    // GIVEN a registry that never answers
    const ref = await serve(() => undefined);
    // WHEN resolved with a 300 ms per-request timeout THEN a typed Timeout after one request
    await expect(resolveImage(ref, { ...fast, timeoutMs: 300 })).rejects.toMatchObject({
      reason: 'Timeout',
      message: `HEAD http://${server!.host}/v2/team/app/manifests/v1 timed out after 300 ms`,
    });
    expect(requests()).toHaveLength(1);
  });

  const INDEX = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [{ mediaType: OCI_MANIFEST, digest: sha256('amd64'), size: 1, platform: { os: 'linux', architecture: 'amd64' } }],
  }));

  it('Legacy: uses the list it had to GET for its digest without fetching it twice', async () => {
    // GIVEN a registry without digest headers serving a list
    const ref = await serve((req, res) => res.writeHead(200, { 'content-type': OCI_INDEX }).end(req.method === 'GET' ? INDEX : undefined));
    // WHEN resolved in Legacy mode THEN the platform digest, from one HEAD and one GET
    const image = await resolveImage(ref, fast);
    expect(image.digest).toBe(sha256('amd64'));
    expect(image.platform?.indexDigest).toBe(sha256(INDEX));
    expect(requests()).toEqual(['HEAD /v2/team/app/manifests/v1', 'GET /v2/team/app/manifests/v1']);
  });

  it('Legacy: a pick recorded for the platform asked holds though the entry names a variant (linux/arm64 is linux/arm64/v8)', async () => {
    // GIVEN a list whose arm64 entry carries variant v8, served with its digest
    const list = Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: OCI_INDEX,
      manifests: [{ mediaType: OCI_MANIFEST, digest: sha256('arm64'), size: 1, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } }],
    }));
    const ref = await serve((req, res) => res.writeHead(200, { 'content-type': OCI_INDEX, 'docker-content-digest': sha256(list) }).end(req.method === 'GET' ? list : undefined));
    const arm64 = { ...fast, platform: { os: 'linux', architecture: 'arm64' } };
    // WHEN resolved THEN the pick records the platform asked for
    const picked = await resolveImage(ref, arm64);
    expect(picked.platform).toMatchObject({ variant: 'v8', requested: 'linux/arm64' });
    // AND with that pick recorded, the next resolution is HEAD only
    const before = server!.requests.length;
    expect(await resolveImage(ref, { ...arm64, recorded: [{ digest: sha256('arm64'), indexDigest: sha256(list), platform: 'linux/arm64' }] })).toMatchObject({ verified: 'recorded', digest: sha256('arm64') });
    expect(server!.requests.slice(before).map((r) => r.method)).toEqual(['HEAD']);
  });

  it('Legacy: fails with DigestMismatch when the list fetched by digest hashes to something else', async () => {
    // GIVEN a HEAD that names one digest and a GET by that digest that serves other bytes
    const claimed = sha256('the real list');
    const ref = await serve((req, res) =>
      req.method === 'HEAD'
        ? res.writeHead(200, { 'docker-content-digest': claimed, 'content-type': OCI_INDEX }).end()
        : res.writeHead(200, { 'content-type': OCI_INDEX }).end(INDEX),
    );
    // WHEN resolved THEN the GET was by digest and the mismatch is reported
    await expect(resolveImage(ref, fast)).rejects.toThrowError(
      `the manifest of ${ref} hashes to ${sha256(INDEX)}, but the registry says ${claimed}`,
    );
    expect(requests()).toEqual(['HEAD /v2/team/app/manifests/v1', `GET /v2/team/app/manifests/${claimed}`]);
  });

  it('sends the Accept header listing the four manifest types', async () => {
    const ref = await serve((_req, res) => res.writeHead(200, { 'docker-content-digest': sha256('a'), 'content-type': OCI_MANIFEST }).end());
    await resolveImage(ref, { ...fast, recorded: [{ digest: sha256('a') }] });
    expect(server!.requests[0].headers.accept).toBe(
      'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, ' +
        'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
    );
  });
});
