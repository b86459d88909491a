import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStream } from '../../../constructs';
import type { ResourceClient } from '../../../lib/runtime/kube/client';
import { ConflictError } from '../../../lib/runtime/kube/errors';
import type { StreamObject } from '../../../lib/runtime/imagestreams/streams';
import { withTag, writeSpecTags } from '../../../lib/cli/imagestream/write-spec';
import { cliKube, type CliKube } from '../cluster';

// On the real API server (a namespace of this file's own), streams synthesized by the constructs.
describe('writeSpecTags', () => {
  let k: CliKube;
  beforeAll(async () => {
    k = await cliKube('cli-write-spec');
  });
  afterAll(() => k?.close());
  const streams = () => k.imageStreams();
  /** A stream with these tags (builds' outputs: a name and nothing else). */
  const createStream = async (name: string, tags: string[]) => {
    await k.create((chart) => {
      const stream = new ImageStream(chart, name);
      for (const tag of tags) stream.declareOutputTag(tag);
    });
    return streams().get(name);
  };

  /** The real client, except that another writer adds a tag before each of our first `times` patches. */
  function interfered(times: number): ResourceClient<StreamObject> {
    let count = 0;
    const real = streams();
    return {
      ...real,
      async mergePatch(name, patch, options) {
        if (count < times) {
          const fresh = await real.get(name);
          await real.mergePatch(name, { spec: { tags: [...(fresh.spec.tags ?? []), { name: `other${count++}` }] } });
        }
        return real.mergePatch(name, patch, options);
      },
    };
  }
  const addTag = (name: string) => (fresh: StreamObject) => ({ tags: withTag(fresh.spec.tags, { name }), result: fresh.spec.tags?.length ?? 0 });

  it('patches spec.tags in one attempt when nobody else writes', async () => {
    await createStream('quiet', ['a']);
    const written = await writeSpecTags(streams(), 'quiet', addTag('b'));
    expect([written.attempts, written.computed]).toEqual([1, 1]);
    expect(written.object.spec.tags!.map((t) => t.name)).toEqual(['a', 'b']);
  });

  it('recomputes from the fresh stream after a 409 so that the other writer\'s tag is kept', async () => {
    // GIVEN a stream WHEN another writer adds a tag between our read and our patch
    await createStream('race', ['a']);
    const written = await writeSpecTags(interfered(1), 'race', addTag('b'));
    // THEN our patch conflicted (the resourceVersion precondition) and was recomputed
    expect([written.attempts, written.computed]).toEqual([2, 2]);
    expect((await streams().get('race')).spec.tags!.map((t) => t.name)).toEqual(['a', 'other0', 'b']);
  });

  it('gives up with the ConflictError after the retries', async () => {
    await createStream('contended', []);
    await expect(writeSpecTags(interfered(100), 'contended', addTag('b'), { retries: 2 })).rejects.toBeInstanceOf(ConflictError);
    expect((await streams().get('contended')).spec.tags!.map((t) => t.name)).toEqual(['other0', 'other1', 'other2']);
  });

  it('writes nothing when the edit has no tags', async () => {
    const created = await createStream('still', ['a']);
    const written = await writeSpecTags(streams(), 'still', () => ({ result: 'unchanged' }));
    expect([written.computed, written.object.metadata.resourceVersion]).toEqual(['unchanged', created.metadata.resourceVersion]);
  });

  it('throws what compute throws, and StreamNotFoundError for a missing stream', async () => {
    await expect(writeSpecTags(streams(), 'still', () => { throw new Error('refused'); })).rejects.toThrowError('refused');
    await expect(writeSpecTags(streams(), 'nope', addTag('b'))).rejects.toThrowError(`imagestream "nope" not found in namespace "${k.namespace}"`);
  });
});

describe('withTag', () => {
  it('replaces the tag of the same name in place, or appends', () => {
    expect(withTag([{ name: 'a' }, { name: 'b' }], { name: 'a', reference: true })).toEqual([{ name: 'a', reference: true }, { name: 'b' }]);
    expect(withTag(undefined, { name: 'a' })).toEqual([{ name: 'a' }]);
  });
});
