import { describe, expect, it } from 'vitest';
import type { ImageStreamObject, ImageStreamSpec } from '../../../../lib/api/imagestream';
import { currentState } from '../../../../lib/runtime/controller/builds/build-state';
import { planBuild } from '../../../../lib/runtime/controller/builds/plan-build';
import { fakeBuildConfig } from './build-fixtures';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const stream = (name: string, digests: string[], spec: ImageStreamSpec = {}): ImageStreamObject => ({
  apiVersion: 'imagestreams.dev/v1alpha1', kind: 'ImageStream', metadata: { name, namespace: 'default' }, spec,
  status: { tags: digests.length ? [{ tag: 'latest', items: digests.map((image) => ({ dockerImageReference: `reg/${name}@${image}`, image, created: '2026-01-01T00:00:00Z' })) }] : [] },
});
const lookupOf = (...streams: ImageStreamObject[]) => (ns: string, name: string) => streams.find((s) => s.metadata.name === name && ns === 'default');
const triggered = (image: string) => ({ imageChangeTriggers: [{ from: { kind: 'ImageStreamTag' as const, name: 'base:latest' }, lastTriggeredImage: image }] });

describe('planBuild', () => {
  it('the first build: ImageChange with the base digest (config and image change make one build)', () => {
    const bc = fakeBuildConfig();
    expect(planBuild(bc, currentState(bc, []), false, lookupOf(stream('base', [D1])))).toEqual({
      kind: 'build', imageChange: true, baseImage: `reg/base@${D1}`,
      cause: { type: 'ImageChange', from: { kind: 'ImageStreamTag', name: 'base:latest' }, image: `reg/base@${D1}` },
      triggered: { key: 'default/base:latest', image: `reg/base@${D1}` },
    });
  });

  it('nothing when the tag still points at the image last built from', () => {
    const bc = fakeBuildConfig({}, {}, { lastVersion: 1, observedGeneration: 1, ...triggered(`reg/base@${D1}`) });
    expect(planBuild(bc, currentState(bc, []), true, lookupOf(stream('base', [D1])))).toEqual({ kind: 'none' });
  });

  it('a new digest is an ImageChange', () => {
    const bc = fakeBuildConfig({}, {}, { lastVersion: 1, observedGeneration: 1, ...triggered(`reg/base@${D1}`) });
    const plan = planBuild(bc, currentState(bc, []), true, lookupOf(stream('base', [D2, D1])));
    expect(plan).toMatchObject({ kind: 'build', baseImage: `reg/base@${D2}`, cause: { type: 'ImageChange', image: `reg/base@${D2}` } });
  });

  it('waits while the base has no image; reports a missing stream', () => {
    const bc = fakeBuildConfig();
    expect(planBuild(bc, currentState(bc, []), false, lookupOf(stream('base', [])))).toEqual({ kind: 'blocked', reason: 'WaitingForImage', message: 'default/base:latest has no image yet' });
    expect(planBuild(bc, currentState(bc, []), false, lookupOf())).toEqual({ kind: 'blocked', reason: 'StreamNotFound', message: "ImageStream 'default/base' not found" });
  });

  it('onSpecChange: a generation past observedGeneration is a ConfigChange, built FROM the current base', () => {
    const triggers = [{ type: 'ImageChange' as const, imageChange: {} }, { type: 'ConfigChange' as const, configChange: { onSpecChange: true } }];
    const bc = fakeBuildConfig({ triggers }, { generation: 3 }, { lastVersion: 2, observedGeneration: 2, ...triggered(`reg/base@${D1}`) });
    expect(planBuild(bc, currentState(bc, []), true, lookupOf(stream('base', [D1])))).toMatchObject({
      kind: 'build', imageChange: false, baseImage: `reg/base@${D1}`, cause: { type: 'ConfigChange', generation: 3 },
    });
    const plain = fakeBuildConfig({}, { generation: 3 }, { lastVersion: 2, observedGeneration: 2, ...triggered(`reg/base@${D1}`) });
    expect(planBuild(plain, currentState(plain, []), true, lookupOf(stream('base', [D1])))).toEqual({ kind: 'none' });
  });

  it('resolves stream-tag stages by digest for STAGE_IMAGES, and waits for a stage tag without an image', () => {
    const strategy = { type: 'Docker' as const, dockerStrategy: { from: { kind: 'ImageStreamTag' as const, name: 'base:latest' }, stages: [{ name: 'build', from: { kind: 'ImageStreamTag' as const, name: 'jdk17:latest' } }, { name: 'tools', from: { kind: 'DockerImage' as const, name: 'alpine:3.20' } }] } };
    const bc = fakeBuildConfig({ strategy });
    expect(planBuild(bc, currentState(bc, []), false, lookupOf(stream('base', [D1]), stream('jdk17', [D2])))).toMatchObject({
      kind: 'build', baseImage: `reg/base@${D1}`, stageImages: { build: `reg/jdk17@${D2}` },
    });
    expect(planBuild(bc, currentState(bc, []), false, lookupOf(stream('base', [D1]), stream('jdk17', [])))).toEqual({
      kind: 'blocked', reason: 'WaitingForImage', message: 'stage build: default/jdk17:latest has no image yet',
    });
  });

  it('an ImageChange trigger on another tag than the base records that tag\'s image', () => {
    const triggers = [{ type: 'ImageChange' as const, imageChange: { from: { kind: 'ImageStreamTag' as const, name: 'tools:latest' } } }];
    const bc = fakeBuildConfig({ triggers }, {}, { lastVersion: 1 });
    expect(planBuild(bc, currentState(bc, []), true, lookupOf(stream('base', [D1]), stream('tools', [D2])))).toMatchObject({
      kind: 'build', baseImage: `reg/base@${D1}`, triggered: { key: 'default/tools:latest', image: `reg/tools@${D2}` },
    });
  });

  it('a chained build gets its base at the stream\'s push address; triggers keep counting the pull address (issue #16)', () => {
    // GIVEN base:latest was built into an in-cluster registry: pushed to its Service, pulled by nodes through localhost:32000
    const push = 'imagestreams-registry.imagestreams-system.svc:5000/default/base';
    const built = (digests: string[]) => ({
      ...stream('base', [], { imageRepository: push, publicImageRepository: 'localhost:32000/default/base' }),
      status: { tags: [{ tag: 'latest', items: digests.map((image) => ({ dockerImageReference: `${push}@${image}`, image, created: '2026-01-01T00:00:00Z' })) }] },
    });
    const bc = fakeBuildConfig();
    // WHEN the app's build is planned THEN BASE_IMAGE is where the build pod can pull it
    expect(planBuild(bc, currentState(bc, []), false, lookupOf(built([D1])))).toEqual({
      kind: 'build', imageChange: true, baseImage: `${push}@${D1}`,
      cause: { type: 'ImageChange', from: { kind: 'ImageStreamTag', name: 'base:latest' }, image: `localhost:32000/default/base@${D1}` },
      triggered: { key: 'default/base:latest', image: `localhost:32000/default/base@${D1}` },
    });
    // AND what the trigger recorded still matches the tag: no second build for the same image
    const after = fakeBuildConfig({}, {}, { lastVersion: 1, observedGeneration: 1, ...triggered(`localhost:32000/default/base@${D1}`) });
    expect(planBuild(after, currentState(after, []), true, lookupOf(built([D1])))).toEqual({ kind: 'none' });
  });

  it("OpenShift's forms: the legacy spelling imageChange starts builds as ImageChange does; a paused trigger starts none", () => {
    const legacy = fakeBuildConfig({ triggers: [{ type: 'imageChange', imageChange: {} }] }, {}, { lastVersion: 1, observedGeneration: 1, ...triggered(`reg/base@${D1}`) });
    expect(planBuild(legacy, currentState(legacy, []), true, lookupOf(stream('base', [D2, D1])))).toMatchObject({ kind: 'build', cause: { type: 'ImageChange', image: `reg/base@${D2}` } });
    const paused = fakeBuildConfig({ triggers: [{ type: 'ImageChange', imageChange: { paused: true } }] }, {}, { lastVersion: 1, observedGeneration: 1, ...triggered(`reg/base@${D1}`) });
    expect(planBuild(paused, currentState(paused, []), true, lookupOf(stream('base', [D2, D1])))).toEqual({ kind: 'none' });
  });

  it('a base that is one image of a stream\'s history (ImageStreamImage) builds FROM that image by digest, and waits while the stream lacks it', () => {
    const strategy = { dockerStrategy: { from: { kind: 'ImageStreamImage' as const, name: `base@${D1}` } } };
    const bc = fakeBuildConfig({ strategy, triggers: [{ type: 'ConfigChange' }] });
    expect(planBuild(bc, currentState(bc, []), false, lookupOf(stream('base', [D2, D1])))).toMatchObject({ kind: 'build', baseImage: `reg/base@${D1}`, cause: { type: 'ConfigChange' } });
    expect(planBuild(bc, currentState(bc, []), false, lookupOf(stream('base', [D2])))).toMatchObject({ kind: 'blocked', reason: 'ImageNotFound' });
  });
});
