import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NamedTagEventList } from '../../../lib/api/imagestream';
import type { ResourceClient } from '../../../lib/runtime/kube/client';
import { ConflictError } from '../../../lib/runtime/kube/errors';
import { mergeImportResults } from '../../../lib/runtime/imagestreams/merge-status';
import { StreamNotFoundError, type StreamObject } from '../../../lib/runtime/imagestreams/streams';
import { writeStatus } from '../../../lib/runtime/imagestreams/write-status';
import { GROUP_VERSION, IMAGESTREAM_KIND } from '../../../lib/api/group';
import { testKube, type TestKube } from '../../support/kube';

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
const T0 = '2026-01-01T00:00:00.000Z';
const noWait = { sleep: async () => {} };

describe('writeStatus', () => {
  let t: TestKube;
  let cluster: { streams: ResourceClient<StreamObject>; createStream(name: string, spec: object): Promise<StreamObject> };
  beforeAll(async () => {
    t = await testKube('write-status');
    const streams = t.streams() as ResourceClient<StreamObject>;
    cluster = { streams, createStream: (name, spec) => streams.create({ apiVersion: GROUP_VERSION, kind: IMAGESTREAM_KIND, metadata: { name }, spec } as StreamObject) };
  });
  afterAll(() => t?.close());

  /** A status change by someone else: a tag item written with the object's current resourceVersion. */
  async function otherWriterAdds(name: string, tag: string, image: string): Promise<void> {
    for (;;) {
      const fresh = await cluster.streams.get(name);
      const tags = [...(fresh.status?.tags ?? []).filter((t) => t.tag !== tag), { tag, items: [{ dockerImageReference: `x/y@${image}`, image, created: T0 }] }];
      try {
        await cluster.streams.updateStatus({ ...fresh, status: { ...fresh.status, tags } } as StreamObject);
        return;
      } catch (e) {
        if (!(e instanceof ConflictError)) throw e;
      }
    }
  }

  /** The real client, except that another writer gets in before each of our first `times` status writes. */
  function interfered(tag: string, times: number): { streams: ResourceClient<StreamObject>; interferences: () => number } {
    let count = 0;
    const streams: ResourceClient<StreamObject> = {
      ...cluster.streams,
      async updateStatus(object, options) {
        if (count < times) await otherWriterAdds(object.metadata.name!, tag, digest(500 + count++));
        return cluster.streams.updateStatus(object, options);
      },
    };
    return { streams, interferences: () => count };
  }
  const importA = (fresh: StreamObject, n: number) =>
    mergeImportResults(fresh, [{ tag: 'a', from: 'x/y:a', ok: true, image: digest(n), dockerImageReference: `x/y@${digest(n)}` }], T0);

  it('writes in one attempt when nobody else writes', async () => {
    await cluster.createStream('quiet', { tags: [{ name: 'a', from: { kind: 'DockerImage', name: 'x/y:a' } }] });
    const written = await writeStatus(cluster.streams, 'quiet', (fresh) => importA(fresh, 1), noWait);
    expect(written.attempts).toBe(1);
    expect(written.object.status!.tags![0].items!.map((i) => i.image)).toEqual([digest(1)]);
  });

  it('recomputes from the fresh object after a 409 and keeps what the other writer wrote', async () => {
    // GIVEN a stream with an imported tag a and a build-output tag b
    await cluster.createStream('race', { tags: [{ name: 'a', from: { kind: 'DockerImage', name: 'x/y:a' } }, { name: 'b' }] });
    await writeStatus(cluster.streams, 'race', (fresh) => importA(fresh, 1), noWait);
    // WHEN another writer records tag b between our read and our write
    const { streams } = interfered('b', 1);
    let computed = 0;
    const written = await writeStatus(streams, 'race', (fresh) => (computed++, importA(fresh, 3)), noWait);
    // THEN our write conflicted once, was recomputed, and both writes are in the stream
    expect([written.attempts, computed]).toEqual([2, 2]);
    const tags = new Map((await cluster.streams.get('race')).status!.tags!.map((t) => [t.tag, t]));
    expect(tags.get('a')!.items!.map((i) => i.image)).toEqual([digest(3), digest(1)]);
    expect(tags.get('b')!.items!.map((i) => i.image)).toEqual([digest(500)]);
  });

  it('gives up with the ConflictError after the retries', async () => {
    await cluster.createStream('contended', { tags: [{ name: 'a', from: { kind: 'DockerImage', name: 'x/y:a' } }, { name: 'b' }] });
    const { streams, interferences } = interfered('b', 100);
    const write = writeStatus(streams, 'contended', (fresh) => importA(fresh, 1), { ...noWait, retries: 2 });
    await expect(write).rejects.toBeInstanceOf(ConflictError);
    expect(interferences()).toBe(3);
  });

  it('loses no item when several writers record status at once', async () => {
    // GIVEN a stream with 6 imported tags and a build-output tag
    const names = ['t0', 't1', 't2', 't3', 't4', 't5'];
    await cluster.createStream('busy', { tags: [...names.map((name) => ({ name, from: { kind: 'DockerImage' as const, name: `x/y:${name}` } })), { name: 'built' }] });
    // WHEN 6 importers (two rounds each) and a test writer write status concurrently
    const importer = (tag: string, round: number) =>
      writeStatus(cluster.streams, 'busy', (fresh) => {
        const image = digest(names.indexOf(tag) * 10 + round);
        return mergeImportResults(fresh, [{ tag, from: `x/y:${tag}`, ok: true, image, dockerImageReference: `x/y@${image}` }], T0);
      });
    await Promise.all([
      ...names.flatMap((tag) => [importer(tag, 1).then(() => importer(tag, 2))]),
      otherWriterAdds('busy', 'built', digest(999)),
    ]);
    // THEN every tag has both of its rounds, and the other writer's item is there
    const byTag = new Map<string, NamedTagEventList>((await cluster.streams.get('busy')).status!.tags!.map((t) => [t.tag, t]));
    for (const [i, tag] of names.entries()) {
      expect(byTag.get(tag)!.items!.map((item) => item.image)).toEqual([digest(i * 10 + 2), digest(i * 10 + 1)]);
    }
    expect(byTag.get('built')!.items!.map((item) => item.image)).toEqual([digest(999)]);
  });

  it('keeps a stream under 1 MiB however long the histories get, where etcd would refuse it', async () => {
    // GIVEN a stream with 20 tags, and 1,000 items for each (as a historyLimit of 1000 would keep)
    await cluster.createStream('huge', { historyLimit: 1000, tags: Array.from({ length: 20 }, (_, t) => ({ name: `t${t}` })) });
    const long = (tag: string) => Array.from({ length: 1000 }, (_, i) => ({ dockerImageReference: `registry.example.com/${'team/'.repeat(40)}${tag}@${digest(i)}`, image: digest(i), created: T0 }));
    const status = { tags: Array.from({ length: 20 }, (_, t) => ({ tag: `t${t}`, items: long(`t${t}`) })) };
    // WHEN the status is written THEN the real API server takes it, trimmed from the oldest end
    const written = await writeStatus(cluster.streams, 'huge', () => ({ status }));
    expect(Buffer.byteLength(JSON.stringify(written.object))).toBeLessThanOrEqual(1024 * 1024 + 16 * 1024);
    expect(written.object.status?.tags?.every((t) => t.items?.[0]?.image === digest(0))).toBe(true);
    // AND the same status written as it is would be refused (the test can fail)
    const fresh = await cluster.streams.get('huge');
    await expect(cluster.streams.updateStatus({ ...fresh, status } as StreamObject)).rejects.toThrow(/too large|exceeds|limit/i);
  });

  it('throws StreamNotFoundError for a missing stream', async () => {
    await expect(writeStatus(cluster.streams, 'nope', (fresh) => ({ status: fresh.status ?? {} }))).rejects.toThrowError(
      new StreamNotFoundError(t.namespace, 'nope'),
    );
    await expect(writeStatus(cluster.streams, 'nope', (fresh) => ({ status: fresh.status ?? {} }))).rejects.toThrowError(
      `imagestream "nope" not found in namespace "${t.namespace}"`,
    );
  });
});
