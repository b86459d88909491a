import { describe, expect, it } from 'vitest';
import type { ImageStreamObject, ImageStreamSpec, NamedTagEventList } from '../../../../lib/api/imagestream';
import { aliasTargets, resolveTag } from '../../../../lib/runtime/controller/triggers/resolve-tag';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

function stream(namespace: string, name: string, spec: ImageStreamSpec, tags: NamedTagEventList[] = []): ImageStreamObject {
  return { apiVersion: 'imagestreams.dev/v1alpha1', kind: 'ImageStream', metadata: { name, namespace }, spec, status: { tags } };
}
const items = (tag: string, ...digests: string[]) => ({ tag, items: digests.map((image) => ({ dockerImageReference: `reg/x@${image}`, image, created: '2026-01-01T00:00:00Z' })) });

const world = [
  stream('ns', 'app', {}, [items('latest', D2, D1)]),
  stream('ns', 'pub', { imageRepository: 'reg/x', publicImageRepository: 'nodes:5000/pub', grants: [{ namespace: 'other', access: 'Pull' }] }, [items('latest', D1)]),
  stream('other', 'sneaky', { tags: [{ name: 'x', from: { kind: 'ImageStreamTag', name: 'app:latest', namespace: 'ns' } }] }),
  stream('ns', 'imported', { imageRepository: 'reg/imported', publicImageRepository: 'nodes:5000/imported', tags: [{ name: 'latest' }, { name: 'local', referencePolicy: { type: 'Local' } }, { name: 'empty-policy', referencePolicy: { type: '' } }] }, [items('latest', D1), items('local', D2), items('empty-policy', D1)]),
  stream('ns', 'alias', { tags: [{ name: 'prod', from: { kind: 'ImageStreamTag', name: 'staging' } }, { name: 'staging', from: { kind: 'ImageStreamTag', name: 'app:latest' } }] }),
  stream('other', 'cross', { tags: [{ name: 'x', from: { kind: 'ImageStreamTag', name: 'pub:latest', namespace: 'ns' } }] }),
  stream('ns', 'loop', { tags: [{ name: 'a', from: { kind: 'ImageStreamTag', name: 'b' } }, { name: 'b', from: { kind: 'ImageStreamTag', name: 'loop:a' } }] }),
  stream('ns', 'empty', { tags: [{ name: 'latest', from: { kind: 'DockerImage', name: 'busybox' } }] }),
];
const lookup = (ns: string, name: string) => world.find((s) => s.metadata.namespace === ns && s.metadata.name === name);

describe('resolveTag', () => {
  it('takes the newest status item', () => {
    expect(resolveTag(lookup, 'ns', 'ns', 'app', 'latest')).toEqual({ ok: true, image: `reg/x@${D2}`, buildImage: `reg/x@${D2}` });
  });

  it('nodes pull what was pushed to the stream\'s registry from publicImageRepository, builds from imageRepository, at the digest', () => {
    expect(resolveTag(lookup, 'ns', 'ns', 'pub', 'latest')).toEqual({ ok: true, image: `nodes:5000/pub@${D1}`, buildImage: `reg/x@${D1}` });
  });

  it('an in-cluster registry: nodes at its node-facing address, builds at its Service (issue #16)', () => {
    // GIVEN a stream of the in-cluster registry whose newest item a build pushed to the Service address
    const push = 'imagestreams-registry.imagestreams-system.svc:5000/team/base';
    const built = stream('team', 'base', { imageRepository: push, publicImageRepository: 'localhost:32000/team/base' }, [{ tag: 'latest', items: [{ dockerImageReference: `${push}@${D1}`, image: D1, created: '2026-01-01T00:00:00Z' }] }]);
    // WHEN it is resolved THEN workloads get the node-facing address and builds the one pods reach
    expect(resolveTag(() => built, 'team', 'team', 'base', 'latest')).toEqual({ ok: true, image: `localhost:32000/team/base@${D1}`, buildImage: `${push}@${D1}` });
  });

  it('pulls an imported item from its source, unless the tag\'s referencePolicy is Local', () => {
    expect(resolveTag(lookup, 'ns', 'ns', 'imported', 'latest')).toEqual({ ok: true, image: `reg/x@${D1}`, buildImage: `reg/x@${D1}` });
    expect(resolveTag(lookup, 'ns', 'ns', 'imported', 'local')).toEqual({ ok: true, image: `nodes:5000/imported@${D2}`, buildImage: `reg/imported@${D2}` });
    // AND OpenShift's referencePolicy.type '' is Source, as its API server defaults it
    expect(resolveTag(lookup, 'ns', 'ns', 'imported', 'empty-policy')).toEqual({ ok: true, image: `reg/x@${D1}`, buildImage: `reg/x@${D1}` });
  });

  it('follows alias chains, within a stream and across namespaces', () => {
    expect(resolveTag(lookup, 'ns', 'ns', 'alias', 'prod')).toEqual({ ok: true, image: `reg/x@${D2}`, buildImage: `reg/x@${D2}` });
    expect(resolveTag(lookup, 'other', 'other', 'cross', 'x')).toEqual({ ok: true, image: `nodes:5000/pub@${D1}`, buildImage: `reg/x@${D1}` });
  });

  it('refuses a reader in another namespace, and an alias into one, without the stream\'s grant', () => {
    // GIVEN ns/app grants nothing, ns/pub grants Pull to 'other'
    // WHEN 'other' reads ns/app directly, or through an alias of its own THEN both are refused, naming the fix
    const denied = { ok: false, reason: 'AccessDenied', message: "namespace 'other' may not pull from ImageStream 'ns/app': it grants Pull to namespaces it lists in spec.grants (the stream's owner adds { namespace: 'other', access: 'Pull' }, or stream.allowPull('other') in the constructs)" };
    expect(resolveTag(lookup, 'other', 'ns', 'app', 'latest')).toEqual(denied);
    expect(resolveTag(lookup, 'other', 'other', 'sneaky', 'x')).toEqual(denied);
    // AND a namespace the stream lists may
    expect(resolveTag(lookup, 'other', 'ns', 'pub', 'latest')).toMatchObject({ ok: true, image: `nodes:5000/pub@${D1}` });
  });

  it('detects cycles', () => {
    expect(resolveTag(lookup, 'ns', 'ns', 'loop', 'a')).toEqual({ ok: false, reason: 'AliasCycle', message: 'alias tags form a cycle: ns/loop:a -> ns/loop:b -> ns/loop:a' });
  });

  it('reports a missing stream, naming the alias it came through', () => {
    expect(resolveTag(lookup, 'ns', 'ns', 'nope', 'latest')).toEqual({ ok: false, reason: 'StreamNotFound', message: "ImageStream 'ns/nope' not found" });
    const dangling = [stream('ns', 'd', { tags: [{ name: 't', from: { kind: 'ImageStreamTag', name: 'gone:latest' } }] })];
    expect(resolveTag((ns, n) => dangling.find((s) => s.metadata.name === n), 'ns', 'ns', 'd', 't'))
      .toEqual({ ok: false, reason: 'StreamNotFound', message: "ImageStream 'ns/gone' not found (alias of ns/d:t)" });
  });

  it('says a tag without items has no image yet, and why when its import failed', () => {
    expect(resolveTag(lookup, 'ns', 'ns', 'empty', 'latest')).toEqual({ ok: false, reason: 'NoImage', message: 'ns/empty:latest has no image yet' });
    const failed = stream('ns', 'failed', { tags: [{ name: 'v1', from: { kind: 'DockerImage', name: 'quay.io/team/app:v1' } }] }, [
      { tag: 'v1', conditions: [{ type: 'ImportSuccess', status: 'False', reason: 'NotFound', message: 'quay.io/team/app:v1 not found: manifest unknown' }] },
    ]);
    expect(resolveTag(() => failed, 'ns', 'ns', 'failed', 'v1')).toEqual({
      ok: false, reason: 'NoImage', message: 'ns/failed:v1 has no image yet: its import failed (NotFound: quay.io/team/app:v1 not found: manifest unknown)',
    });
  });

  it('resolves a reference tag (reference: true) to its external image, as written, directly or through an alias', () => {
    // GIVEN a reference-only tag (never imported, no status) and an alias of it
    const refs = stream('ns', 'refs', { tags: [
      { name: 'upstream', from: { kind: 'DockerImage', name: 'docker.io/library/eclipse-temurin:8-jdk' }, reference: true },
      { name: 'follows', from: { kind: 'ImageStreamTag', name: 'upstream' } },
    ] });
    // THEN workloads and builds get the external reference
    const upstream = { ok: true, image: 'docker.io/library/eclipse-temurin:8-jdk', buildImage: 'docker.io/library/eclipse-temurin:8-jdk' };
    expect(resolveTag(() => refs, 'ns', 'ns', 'refs', 'upstream')).toEqual(upstream);
    expect(resolveTag(() => refs, 'ns', 'ns', 'refs', 'follows')).toEqual(upstream);
  });
});

describe('resolveTag of a tag from an ImageStreamImage (OpenShift: stream@sha256:…)', () => {
  const D3 = `sha256:${'3'.repeat(64)}`;
  const pins = [
    ...world,
    stream('ns', 'pins', { tags: [
      { name: 'old', from: { kind: 'ImageStreamImage', name: `app@${D1}` } },
      { name: 'gone', from: { kind: 'ImageStreamImage', name: `app@${D3}` } },
      { name: 'pushed', from: { kind: 'ImageStreamImage', name: `pub@${D1}` } },
      { name: 'follows-old', from: { kind: 'ImageStreamTag', name: 'old' } },
    ] }),
    stream('other', 'theirs', { tags: [
      { name: 'denied', from: { kind: 'ImageStreamImage', name: `app@${D1}`, namespace: 'ns' } },
      { name: 'granted', from: { kind: 'ImageStreamImage', name: `pub@${D1}`, namespace: 'ns' } },
    ] }),
  ];
  const at = (ns: string, name: string) => pins.find((s) => s.metadata.namespace === ns && s.metadata.name === name);

  it("resolves to that image of the stream's history, not to what its tag points at now", () => {
    // GIVEN ns/app:latest whose history is D2 (newest), D1
    // WHEN a tag from app@D1 is resolved THEN it is D1, directly and through an alias
    expect(resolveTag(at, 'ns', 'ns', 'pins', 'old')).toEqual({ ok: true, image: `reg/x@${D1}`, buildImage: `reg/x@${D1}` });
    expect(resolveTag(at, 'ns', 'ns', 'pins', 'follows-old')).toEqual({ ok: true, image: `reg/x@${D1}`, buildImage: `reg/x@${D1}` });
  });

  it("is pulled as the named stream's tags pull it (nodes from its publicImageRepository)", () => {
    expect(resolveTag(at, 'ns', 'ns', 'pins', 'pushed')).toEqual({ ok: true, image: `nodes:5000/pub@${D1}`, buildImage: `reg/x@${D1}` });
  });

  it("says a digest that is not in the stream's history, naming the stream and what to do", () => {
    expect(resolveTag(at, 'ns', 'ns', 'pins', 'gone')).toEqual({
      ok: false, reason: 'ImageNotFound',
      message: `ns/pins:gone: image ${D3} is not in the history of ImageStream 'ns/app': name an image one of its tags has recorded (imagestreams describe is/app -n ns), or follow a tag with kind ImageStreamTag`,
    });
  });

  it("needs the named stream's Pull grant in another namespace, as an alias does", () => {
    expect(resolveTag(at, 'other', 'other', 'theirs', 'denied')).toMatchObject({ ok: false, reason: 'AccessDenied' });
    expect(resolveTag(at, 'other', 'other', 'theirs', 'granted')).toEqual({ ok: true, image: `nodes:5000/pub@${D1}`, buildImage: `reg/x@${D1}` });
  });

  it("resolves from what the tag recorded when the stream's status no longer shows the image (the controller's cache keeps each tag's newest item only)", () => {
    // GIVEN app as the cache holds it (latest: D2 only) and a tag that recorded app@D1 when it was set
    const cached = stream('ns', 'app', {}, [items('latest', D2)]);
    const pinned = stream('ns', 'p', { tags: [{ name: 'old', from: { kind: 'ImageStreamImage', name: `app@${D1}` } }] }, [items('old', D1)]);
    const both = (_: string, name: string) => (name === 'app' ? cached : name === 'p' ? pinned : undefined);
    // THEN it resolves to D1; without the recorded item it is not found
    expect(resolveTag(both, 'ns', 'ns', 'p', 'old')).toEqual({ ok: true, image: `reg/x@${D1}`, buildImage: `reg/x@${D1}` });
    const unrecorded = stream('ns', 'p', pinned.spec);
    expect(resolveTag((_, name) => (name === 'app' ? cached : unrecorded), 'ns', 'ns', 'p', 'old')).toMatchObject({ ok: false, reason: 'ImageNotFound' });
  });

  it('is in the reverse index of the stream it names (a change there re-resolves it)', () => {
    expect(aliasTargets(at('ns', 'pins')!)).toEqual(['ns/app', 'ns/pub', 'ns/pins']);
    expect(aliasTargets(at('other', 'theirs')!)).toEqual(['ns/app', 'ns/pub']);
  });
});

describe('aliasTargets', () => {
  it('lists the streams alias tags point at', () => {
    expect(aliasTargets(lookup('ns', 'alias')!)).toEqual(['ns/alias', 'ns/app']);
    expect(aliasTargets(lookup('other', 'cross')!)).toEqual(['ns/pub']);
    expect(aliasTargets(lookup('other', 'sneaky')!)).toEqual(['ns/app']);
    expect(aliasTargets(lookup('ns', 'empty')!)).toEqual([]);
  });
});
