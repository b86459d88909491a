import { describe, expect, it } from 'vitest';
import { ImageStream } from '../../../constructs';
import { cachedStream } from '../../../lib/runtime/caches/cached-stream';
import { resolveTag } from '../../../lib/runtime/controller/triggers/resolve-tag';
import { mergeImportResults } from '../../../lib/runtime/imagestreams/merge-status';
import type { TagImportResult } from '../../../lib/runtime/imagestreams/results';
import { tagsAwaitingImport } from '../../../lib/runtime/importer/select-tags';
import { repositoryImportDue } from '../../../lib/api/repository-import';
import { imageEvents } from '../../../lib/runtime/notify/events';
import { useTestKube, type StreamResource } from '../../support/kube';
import { synthApp } from '../../support/synth-app';
import { digest } from '../controller/cluster';

const TAGS = Array.from({ length: 10 }, (_, t) => `v1.${t}`);

describe('cachedStream', () => {
  const k = useTestKube('cached-stream');

  /** The synthesized stream of 10 imported tags, created, then imported 10 times over (as the importer records it), the last import failing for v1.9. */
  async function importedTenTimes(name: string): Promise<{ before: StreamResource; served: StreamResource }> {
    const app = synthApp(({ chart }) => {
      const stream = new ImageStream(chart(k.namespace), name, { historyLimit: 10 });
      for (const tag of TAGS) stream.importTag(tag, { from: `registry.test/upstream/${name}:${tag}` });
    });
    const { namespace: _, ...metadata } = app.one('ImageStream', name).metadata;
    await k.streams().create({ ...app.one('ImageStream', name), metadata } as StreamResource);
    let before = await k.streams().get(name);
    for (let round = 0; round < 10; round++) {
      before = await k.streams().get(name);
      const results: TagImportResult[] = TAGS.map((tag) => round === 9 && tag === 'v1.9'
        ? { tag, from: `registry.test/upstream/${name}:${tag}`, ok: false, reason: 'TooManyRequests', message: 'the registry answered 429' }
        : { tag, from: `registry.test/upstream/${name}:${tag}`, ok: true, image: digest(`${tag}-${round}`), dockerImageReference: `registry.test/upstream/${name}@${digest(`${tag}-${round}`)}` });
      const at = new Date(Date.UTC(2026, 0, 1, round)).toISOString();
      await k.streams().updateStatus({ ...before, status: mergeImportResults(before, results, at).status });
    }
    return { before, served: await k.streams().get(name) };
  }

  it('keeps what every reader of the cache reads — spec, each tag\'s newest item, its ImportSuccess condition — in a fraction of the size', async () => {
    // GIVEN a stream of 10 tags × 10 history items as served, with managedFields
    const { before, served } = await importedTenTimes('tenfold');
    expect(served.status?.tags?.[0].items).toHaveLength(10);
    // WHEN it (and the version before the last import) is cached
    const cached = cachedStream(served);
    const cachedBefore = cachedStream(before);
    // THEN triggers resolve every tag to the same image, the same tags await import, notifications see the same moves
    const lookup = (stream: StreamResource) => (namespace: string, name: string) => (namespace === k.namespace && name === 'tenfold' ? stream : undefined);
    for (const tag of TAGS) expect(resolveTag(lookup(cached), k.namespace, k.namespace, 'tenfold', tag)).toEqual(resolveTag(lookup(served), k.namespace, k.namespace, 'tenfold', tag));
    expect(tagsAwaitingImport(cached)).toEqual(tagsAwaitingImport(served));
    expect(imageEvents(cachedBefore, cached).map((e) => e.message)).toEqual(imageEvents(before, served).map((e) => e.message));
    expect(imageEvents(cachedBefore, cached)).toHaveLength(9);
    // AND a failed import still says why
    const failed = cached.status?.tags?.find((t) => t.tag === 'v1.9')?.conditions?.[0];
    expect([failed?.status, failed?.reason, failed?.message]).toEqual(['False', 'TooManyRequests', 'the registry answered 429']);
    // AND the history and managedFields are gone: one item a tag, and at most a fifth of the bytes
    expect(cached.status?.tags?.map((t) => t.items?.length)).toEqual(TAGS.map(() => 1));
    expect(cached.metadata.managedFields).toBeUndefined();
    expect(JSON.stringify(cached).length * 5).toBeLessThan(JSON.stringify(served).length);
  });

  it('keeps which repository (spec.dockerImageRepository) was imported at which generation, so that it is not imported again and again', () => {
    // GIVEN a stream whose repository was imported at its current generation
    const served = {
      apiVersion: 'imagestreams.dev/v1alpha1', kind: 'ImageStream', metadata: { name: 'legacy', namespace: 'ns', generation: 2 },
      spec: { dockerImageRepository: 'registry.example.com/team/legacy' },
      status: { repositoryImport: { repository: 'registry.example.com/team/legacy', generation: 2, status: 'True', reason: 'Imported', message: 'imported 3 of the 3 tags', lastImportAttempt: '2026-01-01T00:00:00Z', tags: ['latest', '1.1', '1.0'] } },
    } as StreamResource;
    // THEN the cache says what the served object says: not due
    expect(repositoryImportDue(served)).toBe(false);
    expect(repositoryImportDue(cachedStream(served))).toBe(false);
  });
});

describe('cachedStream, given the System registry', () => {
  const REGISTRY = { pushHost: 'imagestreams-registry.sys.svc:5000', pullHost: 'localhost:32000', insecure: true };
  const D = `sha256:${'a'.repeat(64)}`;
  /** An OpenShift stream applied as YAML (no repository of its own), whose tag a build recorded at the registry's push address. */
  const openshiftStream = (spec: StreamResource['spec'] = {}): StreamResource => ({
    apiVersion: 'imagestreams.dev/v1alpha1', kind: 'ImageStream', metadata: { name: 'app', namespace: 'web', resourceVersion: '1' }, spec,
    status: { tags: [{ tag: 'latest', items: [{ dockerImageReference: `imagestreams-registry.sys.svc:5000/web/app@${D}`, image: D, created: '2026-01-01T00:00:00Z' }] }] },
  });

  it("reads a stream without a repository at the registry's: builds pull at the push address, nodes at the pull address", () => {
    const cached = cachedStream(openshiftStream(), REGISTRY);
    expect(cached.spec).toEqual({ imageRepository: 'imagestreams-registry.sys.svc:5000/web/app', publicImageRepository: 'localhost:32000/web/app', imageRepositoryInsecure: true });
    expect(resolveTag(() => cached, 'web', 'web', 'app', 'latest')).toEqual({ ok: true, image: `localhost:32000/web/app@${D}`, buildImage: `imagestreams-registry.sys.svc:5000/web/app@${D}` });
    // Without the registry, a node would be sent to the push address it cannot reach
    expect(resolveTag(() => cachedStream(openshiftStream()), 'web', 'web', 'app', 'latest')).toMatchObject({ image: `imagestreams-registry.sys.svc:5000/web/app@${D}` });
  });

  it('leaves a stream that names its own repository as it is', () => {
    const own = { imageRepository: 'registry.example.com/web/app', publicImageRepository: 'cdn.example.com/web/app' };
    expect(cachedStream(openshiftStream(own), REGISTRY).spec).toEqual(own);
  });
});
