import { afterEach, describe, expect, it } from 'vitest';
import { basic, MANIFEST_TYPES, rawRequest } from './http-probe';
import { pushImage } from './images';
import { RunningRegistry, startRegistry } from './registry';

let registry: RunningRegistry | undefined;
afterEach(async () => {
  await registry?.close();
  registry = undefined;
});

describe('startRegistry', () => {
  it('serves the distribution API anonymously and logs each request in the access log', async () => {
    // GIVEN a registry without auth, with one pushed image
    registry = await startRegistry();
    const { digest } = await pushImage(registry.host, 'team/app:v1');
    // WHEN a client HEADs the tag
    const head = await rawRequest('HEAD', `${registry.url}/v2/team/app/manifests/v1`, { accept: MANIFEST_TYPES });
    // THEN the registry answers with the pushed digest, and the access log shows that HEAD
    expect(head.status).toBe(200);
    expect(head.headers['docker-content-digest']).toBe(digest);
    const log = await registry.accessLog();
    expect(log).toContainEqual({ method: 'HEAD', path: '/v2/team/app/manifests/v1', status: 200 });
    expect(log.filter((e) => e.method === 'PUT' && e.path === '/v2/team/app/manifests/v1')).toHaveLength(1);
  });

  it('requires basic credentials from its htpasswd users', async () => {
    // GIVEN a registry with htpasswd auth
    registry = await startRegistry({ auth: 'htpasswd', users: { bob: 'builder' } });
    // WHEN a client calls /v2/ anonymously, with a wrong password and with the right one
    const anonymous = await rawRequest('GET', `${registry.url}/v2/`);
    const wrong = await rawRequest('GET', `${registry.url}/v2/`, { authorization: basic('bob', 'nope') });
    const right = await rawRequest('GET', `${registry.url}/v2/`, { authorization: basic('bob', 'builder') });
    // THEN only the right password gets in, and the challenge is Basic
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Basic realm="test-registry"');
    expect(wrong.status).toBe(401);
    expect(right.status).toBe(200);
  });

  it('accepts the token server\'s x5c-headed JWTs and challenges with its realm', async () => {
    // GIVEN a registry with token auth and an image pushed by a user (buildah does the token dance)
    registry = await startRegistry({ auth: 'token', users: { alice: 'wonderland' } });
    const { digest } = await pushImage(registry.host, 'team/app:v1', { credentials: { username: 'alice', password: 'wonderland' } });
    const path = `${registry.url}/v2/team/app/manifests/v1`;
    // WHEN a client HEADs anonymously, then with a token for pull from the token server
    const anonymous = await rawRequest('HEAD', path, { accept: MANIFEST_TYPES });
    const tokenUrl = `${registry.tokenServer!.realm}?service=test-registry&scope=repository:team/app:pull`;
    const { token } = JSON.parse((await rawRequest('GET', tokenUrl, { authorization: basic('alice', 'wonderland') })).body);
    const authorized = await rawRequest('HEAD', path, { accept: MANIFEST_TYPES, authorization: `Bearer ${token}` });
    // THEN the anonymous request is challenged with the realm, and the token is accepted
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe(
      `Bearer realm="${registry.tokenServer!.realm}",service="test-registry",scope="repository:team/app:pull"`,
    );
    expect(authorized.status).toBe(200);
    expect(authorized.headers['docker-content-digest']).toBe(digest);
  });
});
