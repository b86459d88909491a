import { describe, expect, it } from 'vitest';
import { ImageStream, ImageStreamTag } from '../../../../constructs';
import { BuildConfig as BuildConfigConstruct, BuildOutput, BuildSource, BuildStrategy, BuildTrigger } from '../../../../constructs/buildconfig';
import type { BuildConfigSpec } from '../../../../lib/api/buildconfig';
import type { ImageStreamObject } from '../../../../lib/api/imagestream';
import { pipelineRunFor } from '../../../../lib/api/build-run';
import { currentState } from '../../../../lib/runtime/controller/builds/build-state';
import { streamsRead } from '../../../../lib/runtime/controller/builds/image-inputs';
import { planBuild } from '../../../../lib/runtime/controller/builds/plan-build';
import { buildForRequest } from '../../../../lib/runtime/controller/builds/requests';
import { synthApp } from '../../../support/synth-app';
import type { BuildConfig } from './build-fixtures';

/**
 * Image sources that are stream tags (`source.images[].from` ImageStreamTag): resolved by digest
 * by the controller for each build (IMAGE_SOURCES), as the base and the stages are; a new image of
 * such a tag starts a build only through an ImageChange trigger that names it.
 */

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const D3 = `sha256:${'3'.repeat(64)}`;
const stream = (name: string, digests: string[]): ImageStreamObject => ({
  apiVersion: 'imagestreams.dev/v1alpha1', kind: 'ImageStream', metadata: { name, namespace: 'default' }, spec: {},
  status: { tags: digests.length ? [{ tag: 'latest', items: digests.map((image) => ({ dockerImageReference: `reg/${name}@${image}`, image, created: '2026-01-01T00:00:00Z' })) }] : [] },
});
const lookupOf = (...streams: ImageStreamObject[]) => (ns: string, name: string) => streams.find((s) => s.metadata.name === name && ns === 'default');

/** A BuildConfig synthesized by the constructs: FROM base:latest, files from libs:latest (a stream tag) and from a fixed image. */
function buildConfig(triggers?: BuildTrigger[]): BuildConfig {
  const app = synthApp(({ chart }) => {
    const ns = chart('default');
    const libs = ImageStreamTag.external('libs:latest', 'default');
    new BuildConfigConstruct(ns, 'build', {
      name: 'app',
      source: BuildSource.git({
        uri: 'https://git.example/app.git',
        images: [
          { from: 'registry.test/tools:1', paths: [{ sourcePath: '/opt/tools/.', destinationDir: 'tools' }] },
          { from: libs, paths: [{ sourcePath: '/usr/lib/a.jar', destinationDir: 'lib' }] },
        ],
      }),
      strategy: BuildStrategy.dockerfile({ from: ImageStreamTag.external('base:latest', 'default') }),
      output: BuildOutput.imageStreamTag(new ImageStream(ns, 'app').tag('latest')),
      ...(triggers ? { triggers } : {}),
    });
  });
  const spec = app.one('BuildConfig', 'app').spec as BuildConfigSpec;
  return { apiVersion: 'imagestreams.dev/v1alpha1', kind: 'BuildConfig', metadata: { name: 'app', namespace: 'default', uid: 'uid-1', generation: 1 }, spec } as BuildConfig;
}
const paramOf = (run: { spec: { params?: { name: string; value: unknown }[] } }, name: string) => run.spec.params?.find((p) => p.name === name)?.value;

describe('image sources that are stream tags', () => {
  it('are resolved by digest for each build, and the run sets IMAGE_SOURCES with every image source', () => {
    // GIVEN the BuildConfig and its streams
    const bc = buildConfig();
    const lookup = lookupOf(stream('base', [D1]), stream('libs', [D2]));
    // WHEN its first build is planned and made
    const plan = planBuild(bc, currentState(bc, []), false, lookup);
    expect(plan).toMatchObject({ kind: 'build', imageSources: { 1: `reg/libs@${D2}` } });
    if (plan.kind !== 'build') throw new Error('no build');
    const run = pipelineRunFor(bc, plan.cause, { naming: { number: 1 }, baseImage: plan.baseImage, imageSources: plan.imageSources });
    // THEN the fixed image goes as written, the stream tag by the digest it points at now
    expect(paramOf(run, 'IMAGE_SOURCES')).toEqual(['0=registry.test/tools:1', `1=reg/libs@${D2}`]);
    // AND a build requested by start-build or a webhook gets them alike
    const request = { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'req', annotations: {} }, spec: {} };
    const requested = buildForRequest(bc, request as never, 2, { pending: true, imageSources: plan.imageSources });
    expect(paramOf(requested, 'IMAGE_SOURCES')).toEqual(['0=registry.test/tools:1', `1=reg/libs@${D2}`]);
    // AND the controller watches the stream, so that a build waiting for it starts when it has an image
    expect(streamsRead(bc)).toContain('default/libs');
  });

  it('waits while an image source tag has no image, saying which', () => {
    const bc = buildConfig();
    expect(planBuild(bc, currentState(bc, []), false, lookupOf(stream('base', [D1]), stream('libs', [])))).toEqual({
      kind: 'blocked', reason: 'WaitingForImage', message: 'source.images[1] (libs:latest): default/libs:latest has no image yet',
    });
  });

  it('a new image of the tag starts no build by itself; an ImageChange trigger naming it does, with that digest', () => {
    // GIVEN the first build was made from base D1
    const built = { lastVersion: 1, observedGeneration: 1, imageChangeTriggers: [{ from: { kind: 'ImageStreamTag' as const, name: 'base:latest' }, lastTriggeredImage: `reg/base@${D1}` }] };
    const plain = { ...buildConfig(), status: built };
    // WHEN libs:latest moves to D3 THEN nothing is due
    expect(planBuild(plain, currentState(plain, []), true, lookupOf(stream('base', [D1]), stream('libs', [D3, D2])))).toEqual({ kind: 'none' });
    // GIVEN an explicit ImageChange trigger on libs:latest, which last built from D2
    const libs = ImageStreamTag.external('libs:latest', 'default');
    const followed = buildConfig([BuildTrigger.imageChange(), BuildTrigger.imageChange({ from: libs }), BuildTrigger.configChange()]);
    const status = { ...built, imageChangeTriggers: [...built.imageChangeTriggers, { from: { kind: 'ImageStreamTag' as const, name: 'libs:latest' }, lastTriggeredImage: `reg/libs@${D2}` }] };
    const bc = { ...followed, status };
    // WHEN libs:latest moves to D3 THEN a build is due, and it copies from D3
    const plan = planBuild(bc, currentState(bc, []), true, lookupOf(stream('base', [D1]), stream('libs', [D3, D2])));
    expect(plan).toMatchObject({ kind: 'build', cause: { type: 'ImageChange', image: `reg/libs@${D3}` }, imageSources: { 1: `reg/libs@${D3}` } });
  });
});
