import { promises as fs } from 'node:fs';
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BasicCredentials } from '../../../lib/runtime/registry/auth';
import { ClientSettings, RepositoryClient } from '../../../lib/runtime/registry/client';
import { MANIFEST_ACCEPT } from '../../../lib/runtime/registry/manifest';
import { parseReference } from '../../../lib/api/image-reference';
import { AuthCache } from '../../../lib/runtime/registry/token';
import { pushImage } from '../../support/registry/images';
import { RunningRegistry, startRegistry } from '../../support/registry/registry';
import { FakeServer, startFakeServer } from '../../support/registry/fake-server';
import { createSigningIdentity } from '../../support/registry/signing-identity';

const ALICE = { username: 'alice', password: 'wonderland' };

function settings(credentials?: BasicCredentials, authCache = new AuthCache()): ClientSettings {
  return {
    insecure: true,
    timeoutMs: 10_000,
    credentials,
    authCache,
    retry: { retries: 0, backoffMs: 1, maxBackoffMs: 1, sleep: async () => undefined, now: Date.now },
  };
}

const head = (host: string, s: ClientSettings) =>
  new RepositoryClient(parseReference(`${host}/team/app:v1`), s).request('HEAD', 'manifests/v1', { accept: MANIFEST_ACCEPT });

describe('RepositoryClient with htpasswd (Basic) auth', () => {
  let registry: RunningRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'htpasswd', users: { alice: 'wonderland' } });
    await pushImage(registry.host, 'team/app:v1', { credentials: ALICE });
  });
  afterAll(async () => {
    await registry?.close();
  });

  it('answers the Basic challenge with the credentials, and sends them up front afterwards', async () => {
    // GIVEN a client with alice's credentials and a fresh cache
    const s = settings(ALICE);
    // WHEN it HEADs twice
    const first = await head(registry.host, s);
    const before = (await registry.accessLog()).length;
    const second = await head(registry.host, s);
    // THEN both succeed, and the second needed no 401 round trip
    expect([first.status, second.status]).toEqual([200, 200]);
    expect((await registry.accessLog()).slice(before)).toEqual([{ method: 'HEAD', path: '/v2/team/app/manifests/v1', status: 200 }]);
  });

  it('fails with Unauthorized when the registry wants credentials and none were given', async () => {
    await expect(head(registry.host, settings())).rejects.toMatchObject({
      reason: 'Unauthorized',
      message: `${registry.host} requires credentials and none were given`,
    });
  });

  it('fails with Unauthorized naming the user when the password is wrong', async () => {
    await expect(head(registry.host, settings({ username: 'alice', password: 'nope' }))).rejects.toThrowError(
      `${registry.host} rejected the credentials of user "alice" for team/app`,
    );
  });
});

describe('RepositoryClient with token (Bearer) auth', () => {
  let registry: RunningRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'token', users: { alice: 'wonderland' } });
    await pushImage(registry.host, 'team/app:v1', { credentials: ALICE });
  });
  afterAll(async () => {
    await registry?.close();
  });

  const pullTokens = () => registry.tokenServer!.requests.filter((r) => r.scopes.includes('repository:team/app:pull'));

  it('fetches a pull token for the repository with basic credentials and reuses it', async () => {
    // GIVEN a client with alice's credentials
    const s = settings(ALICE);
    const before = pullTokens().length;
    // WHEN it HEADs three times
    for (let i = 0; i < 3; i++) expect((await head(registry.host, s)).status).toBe(200);
    // THEN the token server was asked once, as alice
    expect(pullTokens().slice(before)).toEqual([{ account: 'alice', service: 'test-registry', scopes: ['repository:team/app:pull'] }]);
  });

  it('fails with Unauthorized when an anonymous token grants nothing', async () => {
    await expect(head(registry.host, settings())).rejects.toMatchObject({
      reason: 'Unauthorized',
      message: `${registry.host} rejected anonymous access for team/app`,
    });
  });
});

describe('RepositoryClient against odd registries', () => {
  let server: FakeServer;
  beforeAll(async () => {
    server = await startFakeServer((_req, res) => res.writeHead(401, { 'www-authenticate': 'Negotiate' }).end());
  });
  afterAll(async () => {
    await server?.close();
  });

  it('fails with Unauthorized when the 401 offers no Basic or Bearer challenge', async () => {
    await expect(head(server.host, settings(ALICE))).rejects.toThrowError(
      `HEAD ${server.url}/v2/team/app/manifests/v1 returned 401 without a Basic or Bearer challenge`,
    );
  });
});

describe('RepositoryClient Bearer edge cases (fake registry and token endpoint)', () => {
  it('fetches a fresh token when the registry rejects the cached one', async () => {
    // GIVEN a fake registry that accepts only the newest token its endpoint issued
    let issued = 0;
    const server = await startFakeServer((req, res) => {
      if (req.url?.startsWith('/token')) return void res.end(JSON.stringify({ token: `t${++issued}`, expires_in: 300 }));
      if (req.headers.authorization === `Bearer t${issued}`) return void res.writeHead(200).end();
      res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${server.host}/token",service="fake"` }).end();
    });
    try {
      const s = settings(undefined);
      // WHEN a first request caches t1, then the endpoint issues t2 elsewhere (t1 is now stale)
      expect((await head(server.host, s)).status).toBe(200);
      issued++;
      // THEN the next request, sent with t1 up front, is rejected once and retried with a fresh t3
      expect((await head(server.host, s)).status).toBe(200);
      expect(server.requests.map((r) => `${r.method} ${r.path.split('?')[0]} ${r.headers.authorization ?? '-'}`)).toEqual([
        'HEAD /v2/team/app/manifests/v1 -',
        'GET /token -',
        'HEAD /v2/team/app/manifests/v1 Bearer t1',
        'HEAD /v2/team/app/manifests/v1 Bearer t1',
        'GET /token -',
        'HEAD /v2/team/app/manifests/v1 Bearer t3',
      ]);
    } finally {
      await server.close();
    }
  });

  it('with insecure, fetches a token from an https realm whose certificate is self-signed', async () => {
    // GIVEN an https token endpoint with a self-signed certificate, and an http registry pointing at it
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tls-realm-'));
    const identity = await createSigningIdentity(dir, '127.0.0.1');
    const realm = https.createServer({ key: identity.privateKeyPem, cert: await fs.readFile(identity.certificatePath) }, (_req, res) =>
      res.end(JSON.stringify({ token: 'tls-token' })),
    );
    await new Promise<void>((resolve) => realm.listen(0, '127.0.0.1', resolve));
    const realmUrl = `https://127.0.0.1:${(realm.address() as net.AddressInfo).port}/token`;
    const registry = await startFakeServer((req, res) =>
      req.headers.authorization === 'Bearer tls-token'
        ? res.writeHead(200).end()
        : res.writeHead(401, { 'www-authenticate': `Bearer realm="${realmUrl}"` }).end(),
    );
    try {
      // WHEN resolved with insecure THEN the token is fetched despite the certificate
      expect((await head(registry.host, settings())).status).toBe(200);
      // AND with TLS verification on, the same realm's certificate is refused
      const challenge = { scheme: 'bearer', params: { realm: realmUrl } };
      const verified = { challenge, scope: 'repository:team/app:pull', timeoutMs: 5000, registry: { host: 'registry.example.com', insecure: false }, retry: settings().retry };
      await expect(new AuthCache().token(verified)).rejects.toMatchObject({
        reason: 'Unreachable',
        message: `GET ${realmUrl} failed: self-signed certificate`,
      });
    } finally {
      realm.closeAllConnections();
      await new Promise((resolve) => realm.close(resolve));
      await registry.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
