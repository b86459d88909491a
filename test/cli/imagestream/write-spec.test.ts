import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourceClient } from '../../../lib/runtime/kube/client';
import { ConflictError } from '../../../lib/runtime/kube/errors';
import type { StreamObject } from '../../../lib/runtime/imagestreams/streams';
import { withTag, writeSpecTags } from '../../../lib/cli/imagestream/write-spec';
import { startCluster, type TestCluster } from '../../runtime/importer/cluster';

describe('writeSpecTags', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterAll(async () => cluster?.close());

  /** The real client, except that another writer adds a tag before each of our first `times` patches. */
  function interfered(times: number): ResourceClient<StreamObject> {
    let count = 0;
    return {
      ...cluster.streams,
      async mergePatch(name, patch, options) {
        if (count < times) {
          const fresh = await cluster.streams.get(name);
          await cluster.streams.mergePatch(name, { spec: { tags: [...(fresh.spec.tags ?? []), { name: `other${count++}` }] } });
        }
        return cluster.streams.mergePatch(name, patch, options);
      },
    };
  }
  const addTag = (name: string) => (fresh: StreamObject) => ({ tags: withTag(fresh.spec.tags, { name }), result: fresh.spec.tags?.length ?? 0 });

  it('patches spec.tags in one attempt when nobody else writes', async () => {
    await cluster.createStream('quiet', { tags: [{ name: 'a' }] });
    const written = await writeSpecTags(cluster.streams, 'quiet', addTag('b'));
    expect([written.attempts, written.computed]).toEqual([1, 1]);
    expect(written.object.spec.tags!.map((t) => t.name)).toEqual(['a', 'b']);
  });

  it('recomputes from the fresh stream after a 409 so that the other writer\'s tag is kept', async () => {
    // GIVEN a stream WHEN another writer adds a tag between our read and our patch
    await cluster.createStream('race', { tags: [{ name: 'a' }] });
    const written = await writeSpecTags(interfered(1), 'race', addTag('b'));
    // THEN our patch conflicted (the resourceVersion precondition) and was recomputed
    expect([written.attempts, written.computed]).toEqual([2, 2]);
    expect((await cluster.streams.get('race')).spec.tags!.map((t) => t.name)).toEqual(['a', 'other0', 'b']);
  });

  it('gives up with the ConflictError after the retries', async () => {
    await cluster.createStream('contended', { tags: [] });
    await expect(writeSpecTags(interfered(100), 'contended', addTag('b'), { retries: 2 })).rejects.toBeInstanceOf(ConflictError);
    expect((await cluster.streams.get('contended')).spec.tags!.map((t) => t.name)).toEqual(['other0', 'other1', 'other2']);
  });

  it('writes nothing when the edit has no tags', async () => {
    const created = await cluster.createStream('still', { tags: [{ name: 'a' }] });
    const written = await writeSpecTags(cluster.streams, 'still', () => ({ result: 'unchanged' }));
    expect([written.computed, written.object.metadata.resourceVersion]).toEqual(['unchanged', created.metadata.resourceVersion]);
  });

  it('throws what compute throws, and StreamNotFoundError for a missing stream', async () => {
    await expect(writeSpecTags(cluster.streams, 'still', () => { throw new Error('refused'); })).rejects.toThrowError('refused');
    await expect(writeSpecTags(cluster.streams, 'nope', addTag('b'))).rejects.toThrowError('imagestream "nope" not found in namespace "default"');
  });
});

describe('withTag', () => {
  it('replaces the tag of the same name in place, or appends', () => {
    expect(withTag([{ name: 'a' }, { name: 'b' }], { name: 'a', reference: true })).toEqual([{ name: 'a', reference: true }, { name: 'b' }]);
    expect(withTag(undefined, { name: 'a' })).toEqual([{ name: 'a' }]);
  });
});
