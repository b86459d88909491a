import { Duration } from 'cdk8s';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BuildSource, BuildStrategy, BuildTrigger } from '../../../constructs/buildconfig';
import { DEFAULT_IMAGES, isPinned } from '../../../lib/api/build-pipeline/tasks/images';
import { fooBuild, seedChart, synth } from './webhook/fixture';

/**
 * Every image the build constructs emit is pinned by digest: step images (a Task step's `image`,
 * or the default of the param it names) and the git poll's containers. The images a user provides
 * are theirs to pin and are not checked: the base (`from`, BASE_IMAGE), S2I builders (BUILDER_IMAGES
 * and BUILDER_IMAGE of s2i-generate) and the Buildpacks builder (BUILDER_IMAGE of buildpacks).
 */
const USER_PROVIDED = new Set(['buildpacks/BUILDER_IMAGE', 's2i-generate/BUILDER_IMAGE', 's2i-generate/BUILDER_IMAGES']);

function stepImages(objects: { kind: string; metadata: { name: string }; spec: any }[]): string[] {
  const images: string[] = [];
  for (const o of objects) {
    if (o.kind === 'Task') {
      const base = o.metadata.name.replace(/-[0-9a-f]{8}$/, '');
      for (const step of o.spec.steps) {
        const param = /^\$\(params\.([A-Z_]+)\)$/.exec(step.image)?.[1];
        if (param && USER_PROVIDED.has(`${base}/${param}`)) continue;
        images.push(param ? o.spec.params.find((p: { name: string }) => p.name === param).default : step.image);
      }
    }
    if (o.kind === 'CronJob') {
      const pod = o.spec.jobTemplate.spec.template.spec;
      for (const c of [...(pod.initContainers ?? []), ...pod.containers]) images.push(c.image);
    }
  }
  return images;
}

describe('pinned step images', () => {
  it('every default step image is pinned by digest', () => {
    for (const image of Object.values(DEFAULT_IMAGES)) expect(isPinned(image), image).toBe(true);
  });

  it('every image the build constructs emit (Tasks of each strategy, the git poll) is pinned by digest', () => {
    const { chart, foo } = seedChart();
    fooBuild(chart, foo, { triggers: [BuildTrigger.gitPoll({ interval: Duration.minutes(5) })] });
    fooBuild(chart, foo, { name: 's2i', source: BuildSource.git({ uri: 'https://h/r.git', ref: 'main' }), strategy: BuildStrategy.sourceToImage() }, 's2i');
    fooBuild(chart, foo, { name: 'cnb', strategy: BuildStrategy.buildpacks({ builder: 'docker.io/paketobuildpacks/builder-jammy-base:0.4.400' }) }, 'cnb');
    fooBuild(chart, foo, { name: 'inline', source: BuildSource.dockerfile('FROM x:1'), strategy: BuildStrategy.dockerfile() }, 'inline');
    const images = stepImages(synth(chart));
    expect(images.length).toBeGreaterThanOrEqual(6);
    expect(images.filter((image) => !isPinned(image))).toEqual([]);
  });

  it('scripts/pin-images.sh reads every pin of images.ts', () => {
    const script = readFileSync('scripts/pin-images.sh', 'utf8');
    expect(script).toContain("skopeo inspect --format '{{.Digest}}'");
    const source = readFileSync('lib/api/build-pipeline/tasks/images.ts', 'utf8');
    expect(source.match(/^ {2}[a-z]+: '[^']+'/gm)?.length).toBe(Object.keys(DEFAULT_IMAGES).length);
  });
});
