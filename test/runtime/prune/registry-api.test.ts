import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryApi } from '../../../lib/runtime/prune/registry-api';
import { startFaultProxy, type FaultProxy } from '../../support/registry/fault-proxy';
import { pushImage, pushManifestList, retag } from '../../support/registry/images';
import { startRegistry, type RunningRegistry } from '../../support/registry/registry';

const USER = { username: 'ops', password: 'maintenance' };

// The real CNCF registry (htpasswd), and the fault proxy where a registry must page what 2.8 doesn't.
describe('RegistryApi', () => {
  let registry: RunningRegistry;
  let proxy: FaultProxy;
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'htpasswd', users: { [USER.username]: USER.password } });
    proxy = await startFaultProxy(registry.host, () => ({ kind: 'paginate', pageSize: 2 }));
  });
  afterAll(async () => {
    await proxy?.close();
    await registry?.close();
  });
  const api = (options: Partial<ConstructorParameters<typeof RegistryApi>[0]> = {}) => new RegistryApi({ url: registry.url, credentials: USER, ...options });

  it('follows the catalog and tag lists page by page (Link rel="next"), and says when the credentials are wrong', async () => {
    // GIVEN 5 repositories, one with 3 tags
    const { digest } = await pushImage(registry.host, 'r/a:t1', { credentials: USER });
    for (const tag of ['t2', 't3']) await retag(registry.host, `r/a:${tag}`, digest, USER);
    for (const name of ['b', 'c', 'd', 'e']) await pushImage(registry.host, `r/${name}:v1`, { credentials: USER });
    // WHEN listed 2 by 2 (the catalog by distribution itself, tags by the proxy) THEN all come
    expect(await api({ pageSize: 2 }).repositories()).toEqual(['r/a', 'r/b', 'r/c', 'r/d', 'r/e']);
    expect((await api({ url: `http://${proxy.host}`, pageSize: 2 }).tags('r/a')).sort()).toEqual(['t1', 't2', 't3']);
    expect(proxy.requests.filter((r) => r.path.includes('/tags/list')).length).toBe(2);
    // AND a repository it doesn't have has no tags; a wrong password is an error naming the registry
    expect(await api().tags('r/nothing')).toEqual([]);
    await expect(api({ credentials: { username: 'ops', password: 'wrong' } }).repositories()).rejects.toThrow(`${registry.host} refused the credentials for GET /v2/_catalog (401)`);
  });

  it('reads an image manifest\'s blobs and an index\'s children, resolves tags, and deletes by digest once', async () => {
    const image = await pushImage(registry.host, 'm/img:v1', { credentials: USER });
    const index = await pushManifestList(registry.host, 'm/idx:v1', { platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }], credentials: USER });
    const client = api();
    expect(await client.resolve('m/img', 'v1')).toBe(image.digest);
    expect(await client.resolve('m/img', 'nope')).toBeUndefined();
    const manifest = (await client.manifest('m/img', image.digest))!;
    expect(manifest.children).toEqual([]);
    expect(manifest.blobs).toHaveLength(2);
    expect(manifest.blobs.every((b) => b.digest.startsWith('sha256:') && b.size > 0)).toBe(true);
    expect((await client.manifest('m/idx', index.digest))!.children).toEqual(index.manifests.map((m) => m.digest));
    // WHEN deleted twice THEN the first deletes it, the second finds it gone
    expect(await client.deleteManifest('m/img', image.digest)).toBe(true);
    expect(await client.deleteManifest('m/img', image.digest)).toBe(false);
    expect(await client.manifest('m/img', image.digest)).toBeUndefined();
  });

  it('a registry without deletes refuses with 405, and the error names the fix', async () => {
    const noDeletes = await startRegistry({ env: { REGISTRY_STORAGE_DELETE_ENABLED: 'false' } });
    try {
      const { digest } = await pushImage(noDeletes.host, 'x/y:v1');
      await expect(new RegistryApi({ url: noDeletes.url }).deleteManifest('x/y', digest)).rejects.toThrow(
        `${noDeletes.host} refuses to delete manifests (405): the registry needs deletes enabled (StreamRegistry.inCluster({ allowDeletes: true }), distribution's storage.delete.enabled)`,
      );
    } finally {
      await noDeletes.close();
    }
  });
});
