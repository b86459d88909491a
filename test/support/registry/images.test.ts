import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_TYPES, rawRequest } from './http-probe';
import { deleteTag, pushImage, pushManifestList } from './images';
import { RunningRegistry, startRegistry } from './registry';

let registry: RunningRegistry;
beforeAll(async () => {
  registry = await startRegistry();
});
afterAll(async () => {
  await registry?.close();
});

const head = (path: string) => rawRequest('HEAD', `${registry.url}/v2/${path}`, { accept: MANIFEST_TYPES });

describe('pushImage', () => {
  it('pushes a new image to a tag, and moves the tag on a second push', async () => {
    // GIVEN a tag pushed once
    const first = await pushImage(registry.host, 'images/move:v1');
    // WHEN another image is pushed to the same tag
    const second = await pushImage(registry.host, 'images/move:v1');
    // THEN the tag points at the second image, and the first still exists by digest
    expect(second.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(second.digest).not.toBe(first.digest);
    expect((await head('images/move/manifests/v1')).headers['docker-content-digest']).toBe(second.digest);
    expect((await head(`images/move/manifests/${first.digest}`)).status).toBe(200);
  });
});

describe('pushManifestList', () => {
  it('pushes a manifest list whose entries are the platforms asked for', async () => {
    // GIVEN / WHEN a two-platform list is pushed
    const list = await pushManifestList(registry.host, 'images/multi:v1', {
      platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }],
    });
    // THEN the tag is the list, and each entry exists in the registry
    const tag = await head('images/multi/manifests/v1');
    expect(tag.headers['docker-content-digest']).toBe(list.digest);
    expect(tag.headers['content-type']).toMatch(/index|list/);
    expect(list.manifests.map((m) => m.platform)).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' },
    ]);
    for (const m of list.manifests) expect((await head(`images/multi/manifests/${m.digest}`)).status).toBe(200);
  });
});

describe('deleteTag', () => {
  it('removes the manifest behind a tag so the tag answers 404', async () => {
    // GIVEN a pushed tag
    await pushImage(registry.host, 'images/gone:v1');
    // WHEN it is deleted
    await deleteTag(registry.host, 'images/gone:v1');
    // THEN it is not found
    expect((await head('images/gone/manifests/v1')).status).toBe(404);
  });
});
