/**
 * copyImage between two real CNCF registries: an "external" one (anonymous, plain http) and a
 * stream registry with token auth, as the importer mirrors referencePolicy Local tags. Faults come
 * from the fault proxy in front of one of them (cut transfers, 500s), and every check reads what
 * the registries themselves serve and logged.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyImage } from '../../../../lib/runtime/registry/copy/copy-image';
import { RegistrySession } from '../../../../lib/runtime/registry/copy/session';
import { RegistryError } from '../../../../lib/runtime/registry/errors';
import { clientSettings } from '../../../../lib/runtime/registry/options';
import { AuthCache } from '../../../../lib/runtime/registry/token';
import { parseReference } from '../../../../lib/api/image-reference';
import { startFaultProxy, type FaultProxy, type FaultRule } from '../../../support/registry/fault-proxy';
import { pushRandomImage, pushRandomIndex } from '../../../support/registry/random-image';
import { startRegistry, type RunningRegistry } from '../../../support/registry/registry';

const ALICE = { username: 'alice', password: 'wonderland' };
let external: RunningRegistry;
let internal: RunningRegistry;

beforeAll(async () => {
  [external, internal] = await Promise.all([startRegistry(), startRegistry({ auth: 'token', users: { alice: ALICE.password } })]);
}, 60_000);

afterAll(async () => {
  await Promise.all([external?.close(), internal?.close()]);
});

const noWait = { sleep: async () => undefined };

function session(host: string, repository: string, actions: 'pull' | 'pull,push', extra: { credentials?: typeof ALICE; alsoPull?: string[]; authCache?: AuthCache } = {}): RegistrySession {
  const settings = clientSettings(parseReference(`${host}/${repository}`), { insecure: true, credentials: extra.credentials, authCache: extra.authCache ?? new AuthCache(), ...noWait, backoffMs: 1 });
  return new RegistrySession({ registry: host, repository, actions, settings, alsoPull: extra.alsoPull });
}

const retry = clientSettings(parseReference('x.test/y'), { ...noWait, backoffMs: 1 }).retry;

/** What a registry serves for a manifest or blob: status and Docker-Content-Digest, and the body's sha256. */
function served(registry: RunningRegistry, path: string, credentials?: typeof ALICE): Promise<{ status: number; digest?: string; sha256?: string }> {
  return new Promise((resolve, reject) => {
    const auth = credentials && registry.tokenServer ? undefined : credentials;
    const go = (authorization?: string) => http.get(`${registry.url}${path}`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json', ...(authorization ? { authorization } : {}) },
    }, (res) => {
      const hash = createHash('sha256');
      res.on('data', (c: Buffer) => hash.update(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, digest: res.headers['docker-content-digest'] as string | undefined, sha256: res.statusCode === 200 ? `sha256:${hash.digest('hex')}` : undefined }));
    }).on('error', reject);
    if (auth) return void go(`Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`);
    if (!credentials) return void go();
    // Token auth: a pull token for the repository in the path.
    const repository = /^\/v2\/(.+)\/(manifests|blobs)\//.exec(path)![1];
    const url = new URL(registry.tokenServer!.realm);
    url.searchParams.set('service', registry.tokenServer!.service);
    url.searchParams.set('scope', `repository:${repository}:pull`);
    http.get(url, { headers: { authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => go(`Bearer ${JSON.parse(Buffer.concat(chunks).toString('utf8')).token}`));
    }).on('error', reject);
  });
}

/** The token requests that asked to push to `repository` (the tests' own reads ask for pull only). */
const pushTokens = (repository: string) => internal.tokenServer!.requests.filter((r) => r.scopes.some((s) => s === `repository:${repository}:pull,push`));

const uploadsTo = async (registry: RunningRegistry, repository: string) => (await registry.accessLog()).filter((e) => e.method === 'POST' && e.path.startsWith(`/v2/${repository}/blobs/uploads/`));

describe('copyImage between two real registries', () => {
  it('copies a single-platform image: the same manifest digest and the same blobs at both ends, every byte hashed', async () => {
    // GIVEN an image of two layers and its config in the external registry
    const image = await pushRandomImage(external.host, 'lib/one:1', { layers: [300_000, 1_200_000] });
    // WHEN it is copied into the stream's repository of the registry with token auth
    const report = await copyImage(session(external.host, 'lib/one', 'pull'), session(internal.host, 'ns/one', 'pull,push', { credentials: ALICE }), image.digest, { retry });
    // THEN the stream's registry serves the manifest under the same digest, with bytes that hash to it
    const manifest = await served(internal, `/v2/ns/one/manifests/${image.digest}`, ALICE);
    expect(manifest).toEqual({ status: 200, digest: image.digest, sha256: image.digest });
    // AND every blob, each hashing to its digest
    for (const blob of [image.config, ...image.layers]) expect(await served(internal, `/v2/ns/one/blobs/${blob.digest}`, ALICE)).toMatchObject({ status: 200, sha256: blob.digest });
    expect(report).toEqual({ digest: image.digest, manifests: { present: 0, copied: 1 }, blobs: { present: 0, mounted: 0, copied: 3 }, bytes: image.size });
    // AND one upload each, a token asked with push on the stream's repository only
    expect(await uploadsTo(internal, 'ns/one')).toHaveLength(3);
    expect(pushTokens('ns/one')).toEqual([{ account: 'alice', service: 'test-registry', scopes: ['repository:ns/one:pull,push'] }]);
  }, 60_000);

  it('copies a whole index (PreserveOriginal): the index and each platform\'s manifest under their own digests', async () => {
    const platforms = [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }];
    const index = await pushRandomIndex(external.host, 'lib/multi:1', { layers: [200_000], platforms });
    const report = await copyImage(session(external.host, 'lib/multi', 'pull'), session(internal.host, 'ns/multi', 'pull,push', { credentials: ALICE }), index.digest, { retry });
    expect(await served(internal, `/v2/ns/multi/manifests/${index.digest}`, ALICE)).toEqual({ status: 200, digest: index.digest, sha256: index.digest });
    for (const image of index.images) {
      expect(await served(internal, `/v2/ns/multi/manifests/${image.digest}`, ALICE)).toEqual({ status: 200, digest: image.digest, sha256: image.digest });
      for (const blob of [image.config, ...image.layers]) expect((await served(internal, `/v2/ns/multi/blobs/${blob.digest}`, ALICE)).sha256).toBe(blob.digest);
    }
    expect(report.manifests).toEqual({ present: 0, copied: 3 });
    expect(report.blobs.copied).toBe(4);
  }, 60_000);

  it('copies nothing the second time: a HEAD of the manifest, no upload', async () => {
    const image = await pushRandomImage(external.host, 'lib/again:1', { layers: [100_000] });
    // One auth cache for the process, as the importer has: the second copy sends its token up front
    const authCache = new AuthCache();
    const copy = () => copyImage(session(external.host, 'lib/again', 'pull'), session(internal.host, 'ns/again', 'pull,push', { credentials: ALICE, authCache }), image.digest, { retry });
    await copy();
    const before = (await internal.accessLog()).length;
    const second = await copy();
    expect(second).toMatchObject({ manifests: { present: 1, copied: 0 }, blobs: { present: 0, mounted: 0, copied: 0 }, bytes: 0 });
    const after = (await internal.accessLog()).slice(before);
    expect(after).toEqual([{ method: 'HEAD', path: `/v2/ns/again/manifests/${image.digest}`, status: 200 }]);
  }, 60_000);

  it('mounts blobs from another repository of the same registry (one token with both scopes), uploading none', async () => {
    const image = await pushRandomImage(external.host, 'lib/mount:1', { layers: [150_000, 150_000] });
    await copyImage(session(external.host, 'lib/mount', 'pull'), session(internal.host, 'team-a/base', 'pull,push', { credentials: ALICE }), image.digest, { retry });
    // WHEN team-b's stream mirrors team-a's copy, within the one registry
    const report = await copyImage(
      session(internal.host, 'team-a/base', 'pull', { credentials: ALICE }),
      session(internal.host, 'team-b/base', 'pull,push', { credentials: ALICE, alsoPull: ['team-a/base'] }),
      image.digest, { retry },
    );
    expect(report.blobs).toEqual({ present: 0, mounted: 3, copied: 0 });
    expect(await served(internal, `/v2/team-b/base/manifests/${image.digest}`, ALICE)).toMatchObject({ status: 200, sha256: image.digest });
    expect(pushTokens('team-b/base').map((r) => r.scopes)).toEqual([['repository:team-b/base:pull,push', 'repository:team-a/base:pull']]);
    const mounts = (await uploadsTo(internal, 'team-b/base')).map((e) => e.path);
    expect(mounts).toHaveLength(3);
    for (const path of mounts) expect(path).toMatch(/\?mount=sha256%3A[0-9a-f]{64}&from=team-a%2Fbase$/);
  }, 60_000);
});

describe('copyImage when a transfer fails halfway', () => {
  let proxy: FaultProxy;
  afterAll(async () => proxy?.close());

  it('a blob cut off on every try fails the copy with no manifest written; the next copy sends only what is missing', async () => {
    // GIVEN an image of three layers, the second of which the source ends halfway, every time (a 200 whose body stops short)
    const image = await pushRandomImage(external.host, 'lib/cut:1', { layers: [400_000, 800_000, 400_000] });
    const cut = image.layers[1].digest;
    proxy = await startFaultProxy(external.host);
    const cutting: FaultRule = (r) => (r.method === 'GET' && r.path.endsWith(`/blobs/${cut}`) ? { kind: 'truncate' } : undefined);
    proxy.setRule(cutting);
    const copy = () => copyImage(session(proxy.host, 'lib/cut', 'pull'), session(internal.host, 'ns/cut', 'pull,push', { credentials: ALICE }), image.digest, { retry, concurrency: 1 });
    // WHEN the copy runs
    const error = await copy().then(() => undefined, (e: unknown) => e);
    // THEN it fails with a reason that may pass, after three tries of that blob
    expect(RegistryError.isRegistryError(error) && error.reason).toBe('ConnectionReset');
    expect(proxy.requests.filter((r) => r.path.endsWith(`/blobs/${cut}`))).toHaveLength(3);
    // AND the stream's registry has no manifest (nothing names a missing blob), nor the cut blob; the config and first layer (copied before it, one at a time) are whole
    expect((await served(internal, `/v2/ns/cut/manifests/${image.digest}`, ALICE)).status).toBe(404);
    expect((await served(internal, `/v2/ns/cut/blobs/${cut}`, ALICE)).status).toBe(404);
    expect((await served(internal, `/v2/ns/cut/blobs/${image.layers[0].digest}`, ALICE)).sha256).toBe(image.layers[0].digest);
    expect((await served(internal, `/v2/ns/cut/blobs/${image.config.digest}`, ALICE)).sha256).toBe(image.config.digest);
    // WHEN the source is well again and the copy runs again
    proxy.setRule(() => undefined);
    const before = (await uploadsTo(internal, 'ns/cut')).length;
    const sourceGets = proxy.requests.length;
    const resumed = await copy();
    // THEN the finished blobs are not sent again: only the cut layer and the third are uploaded
    expect(resumed.blobs).toEqual({ present: 2, mounted: 0, copied: 2 });
    expect(resumed.bytes).toBe(image.layers[1].size + image.layers[2].size);
    expect((await uploadsTo(internal, 'ns/cut')).length - before).toBe(2);
    expect(proxy.requests.slice(sourceGets).filter((r) => r.path.endsWith(`/blobs/${image.layers[0].digest}`))).toEqual([]);
    // AND both ends serve the same digests
    expect(await served(internal, `/v2/ns/cut/manifests/${image.digest}`, ALICE)).toEqual({ status: 200, digest: image.digest, sha256: image.digest });
    for (const blob of [image.config, ...image.layers]) expect((await served(internal, `/v2/ns/cut/blobs/${blob.digest}`, ALICE)).sha256).toBe(blob.digest);
  }, 60_000);
});

describe('copyImage from a registry that redirects blob downloads', () => {
  let htpasswd: RunningRegistry;
  let proxy: FaultProxy;
  let cdn: http.Server;
  const seen: Array<{ path: string; authorization?: string }> = [];
  beforeAll(async () => {
    htpasswd = await startRegistry({ auth: 'htpasswd', users: { alice: ALICE.password } });
    proxy = await startFaultProxy(htpasswd.host);
    // A CDN on another host: it serves the registry's blobs (fetched with its own credentials) and records what it was sent.
    cdn = http.createServer((req, res) => {
      seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
      const digest = /\/cdn\/(sha256:[0-9a-f]{64})/.exec(req.url ?? '')?.[1];
      http.get(`${htpasswd.url}/v2/lib/cdn/blobs/${digest}`, { headers: { authorization: `Basic ${Buffer.from(`${ALICE.username}:${ALICE.password}`).toString('base64')}` } }, (blob) => {
        res.writeHead(blob.statusCode ?? 502, { 'content-type': 'application/octet-stream' });
        blob.pipe(res);
      });
    });
    await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
  }, 60_000);
  afterAll(async () => {
    await proxy?.close();
    cdn?.closeAllConnections();
    await new Promise((resolve) => cdn?.close(resolve));
    await htpasswd?.close();
  });

  it('follows the redirect to the CDN without the registry\'s credentials, and verifies what it serves', async () => {
    // GIVEN an image in a registry with htpasswd auth whose blob GETs answer 307 to a CDN on another host
    const image = await pushRandomImage(htpasswd.host, 'lib/cdn:1', { layers: [400_000], credentials: ALICE });
    const cdnHost = `localhost:${(cdn.address() as { port: number }).port}`;
    proxy.setRule((r) => {
      const digest = /\/blobs\/(sha256:[0-9a-f]{64})$/.exec(r.path)?.[1];
      return r.method === 'GET' && digest ? { kind: 'redirect', location: `http://${cdnHost}/cdn/${digest}?signature=s3cr3t` } : undefined;
    });
    // WHEN it is copied with the registry's credentials
    const report = await copyImage(session(proxy.host, 'lib/cdn', 'pull', { credentials: ALICE }), session(internal.host, 'ns/cdn', 'pull,push', { credentials: ALICE }), image.digest, { retry });
    // THEN every blob came from the CDN, which never saw the credentials
    expect(report.blobs).toEqual({ present: 0, mounted: 0, copied: 2 });
    expect(seen.map((s) => s.path).sort()).toEqual([image.config.digest, image.layers[0].digest].map((d) => `/cdn/${d}?signature=s3cr3t`).sort());
    expect(seen.map((s) => s.authorization)).toEqual([undefined, undefined]);
    expect(await served(internal, `/v2/ns/cdn/manifests/${image.digest}`, ALICE)).toEqual({ status: 200, digest: image.digest, sha256: image.digest });
  }, 60_000);
});

describe('copyImage killed halfway', () => {
  let htpasswd: RunningRegistry;
  let proxy: FaultProxy;
  beforeAll(async () => {
    htpasswd = await startRegistry({ auth: 'htpasswd', users: { alice: ALICE.password } });
    proxy = await startFaultProxy(htpasswd.host, () => undefined, { forwardedHost: true });
  }, 60_000);
  afterAll(async () => {
    await proxy?.close();
    await htpasswd?.close();
  });

  it('a copy whose process is killed (SIGKILL) while it uploads a layer is resumed by the next: finished blobs are not sent again', async () => {
    // GIVEN an image of three layers in the external registry
    const image = await pushRandomImage(external.host, 'lib/killed:1', { layers: [600_000, 3_000_000, 600_000] });
    const big = image.layers[1].digest;
    // WHEN a copy runs in its own process, and is killed as soon as the stream registry has its upload of the big layer
    // (node itself, with tsx as its loader: the tsx command would run the copy in a grandchild, which a kill misses)
    const child = spawn(process.execPath, [
      '--import', 'tsx', path.join(__dirname, 'fixtures/copy-process.ts'), external.host, 'lib/killed', proxy.host, 'ns/killed', image.digest, ALICE.username, ALICE.password,
    ], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    let patches = 0;
    proxy.setRule((r) => {
      // The PATCHes come in blob order (config, then the layers): the third is the big layer's.
      if (r.method === 'PATCH' && ++patches === 3) child.kill('SIGKILL');
      return undefined;
    });
    expect(await exited).toBe('SIGKILL');
    proxy.setRule(() => undefined);
    // THEN no manifest, and the big layer is not in the stream registry; the config and the first layer are
    expect((await served(htpasswd, `/v2/ns/killed/manifests/${image.digest}`, ALICE)).status).toBe(404);
    expect((await served(htpasswd, `/v2/ns/killed/blobs/${big}`, ALICE)).status).toBe(404);
    for (const blob of [image.config, image.layers[0]]) expect((await served(htpasswd, `/v2/ns/killed/blobs/${blob.digest}`, ALICE)).sha256).toBe(blob.digest);
    // WHEN the copy runs again
    const seen = proxy.requests.length;
    const resumed = await copyImage(session(external.host, 'lib/killed', 'pull'), session(proxy.host, 'ns/killed', 'pull,push', { credentials: ALICE }), image.digest, { retry, concurrency: 1 });
    // THEN only the big layer and the last are uploaded, and both ends serve the same digests
    expect(resumed.blobs).toEqual({ present: 2, mounted: 0, copied: 2 });
    expect(proxy.requests.slice(seen).filter((r) => r.method === 'PATCH')).toHaveLength(2);
    expect(await served(htpasswd, `/v2/ns/killed/manifests/${image.digest}`, ALICE)).toEqual({ status: 200, digest: image.digest, sha256: image.digest });
    for (const blob of [image.config, ...image.layers]) expect((await served(htpasswd, `/v2/ns/killed/blobs/${blob.digest}`, ALICE)).sha256).toBe(blob.digest);
  }, 60_000);
});

describe('copyImage when the stream registry answers 500', () => {
  let htpasswd: RunningRegistry;
  let proxy: FaultProxy;
  beforeAll(async () => {
    htpasswd = await startRegistry({ auth: 'htpasswd', users: { alice: ALICE.password } });
    proxy = await startFaultProxy(htpasswd.host, () => undefined, { forwardedHost: true });
  }, 60_000);
  afterAll(async () => {
    await proxy?.close();
    await htpasswd?.close();
  });

  it('500s to the first uploads: the blobs are sent again and the copy completes with the same digests', async () => {
    const image = await pushRandomImage(external.host, 'lib/flaky:1', { layers: [500_000, 500_000] });
    let patches = 0;
    proxy.setRule((r) => (r.method === 'PATCH' && patches++ < 2 ? { kind: 'status', status: 500 } : undefined));
    const report = await copyImage(session(external.host, 'lib/flaky', 'pull'), session(proxy.host, 'ns/flaky', 'pull,push', { credentials: ALICE }), image.digest, { retry, concurrency: 1 });
    expect(report.blobs).toEqual({ present: 0, mounted: 0, copied: 3 });
    expect(proxy.requests.filter((r) => r.fault === 'status')).toHaveLength(2);
    expect(await served(htpasswd, `/v2/ns/flaky/manifests/${image.digest}`, ALICE)).toEqual({ status: 200, digest: image.digest, sha256: image.digest });
  }, 60_000);

  it('500s to every manifest PUT: bounded tries, then ServerError; the blobs stay, and a later copy only writes the manifest', async () => {
    const image = await pushRandomImage(external.host, 'lib/down:1', { layers: [200_000] });
    proxy.setRule((r) => (r.method === 'PUT' && r.path.includes('/manifests/') ? { kind: 'status', status: 500 } : undefined));
    const copy = () => copyImage(session(external.host, 'lib/down', 'pull'), session(proxy.host, 'ns/down', 'pull,push', { credentials: ALICE }), image.digest, { retry });
    const seen = proxy.requests.length;
    const error = await copy().then(() => undefined, (e: unknown) => e);
    expect(RegistryError.isRegistryError(error) && error.reason).toBe('ServerError');
    // the first try and the session's 3 retries
    expect(proxy.requests.slice(seen).filter((r) => r.fault === 'status')).toHaveLength(4);
    expect((await served(htpasswd, `/v2/ns/down/manifests/${image.digest}`, ALICE)).status).toBe(404);
    proxy.setRule(() => undefined);
    const again = await copy();
    expect(again).toMatchObject({ manifests: { present: 0, copied: 1 }, blobs: { present: 2, mounted: 0, copied: 0 }, bytes: 0 });
    expect(await served(htpasswd, `/v2/ns/down/manifests/${image.digest}`, ALICE)).toEqual({ status: 200, digest: image.digest, sha256: image.digest });
  }, 60_000);
});
