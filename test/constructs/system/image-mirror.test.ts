import { Chart, Duration, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy, BuildTrigger, ImageStream, StreamRegistry, System } from '../../../constructs';
import { DEFAULT_IMAGES } from '../../../lib/api/build-pipeline/tasks/images';
import { DEFAULT_S2I_BUILDERS } from '../../../lib/api/build-pipeline/tasks/s2i-builders';
import { checkImageMirror, mirrorImage } from '../../../constructs/system/image-mirror';
import { DEFAULT_REGISTRY_IMAGE } from '../../../constructs/system/registry/in-cluster-options';
import { DEFAULT_RUNTIME_IMAGE } from '../../../constructs/system/system';
import { synthApp, type Manifest } from '../../support/synth-app';
import { imagesOf } from '../../support/images-of';

const MIRROR = { 'docker.io': 'mirror.example.com/hub', 'registry.access.redhat.com': 'mirror.example.com/rh' };
const USER_BASE = 'docker.io/library/golang:1.23@sha256:' + 'a'.repeat(64);

/** Every kind of object that runs an image of ours: builds of each strategy, a git poll, a scheduled import, the in-cluster registry. */
function everything(chart: Chart): void {
  const stream = new ImageStream(chart, 'app');
  const base = new ImageStream(chart, 'base');
  base.importTag('latest', { from: 'docker.io/library/alpine:3.20', interval: Duration.minutes(15) });
  const git = BuildSource.git({ uri: 'https://git.example.com/app.git', ref: 'main' });
  new BuildConfig(chart, 'docker', {
    source: git, strategy: BuildStrategy.dockerfile({ from: USER_BASE }), output: BuildOutput.imageStreamTag(stream.tag('docker')),
    triggers: [BuildTrigger.gitPoll({ interval: Duration.minutes(5) })],
  });
  new BuildConfig(chart, 's2i', { source: git, strategy: BuildStrategy.sourceToImage(), output: BuildOutput.imageStreamTag(stream.tag('s2i')) });
  new BuildConfig(chart, 'inline', { source: BuildSource.dockerfile('FROM x:1'), strategy: BuildStrategy.dockerfile(), output: BuildOutput.imageStreamTag(stream.tag('inline')) });
}

const mirrored = () => synthApp(({ chart }) => everything(chart('apps')), { registry: StreamRegistry.inCluster(), imageMirror: MIRROR });
const plain = () => synthApp(({ chart }) => everything(chart('apps')), { registry: StreamRegistry.inCluster() });

describe('imageMirror', () => {
  it('maps an image of a mirrored registry under its prefix, keeping path, tag and digest', () => {
    expect(mirrorImage(DEFAULT_RUNTIME_IMAGE, MIRROR)).toBe(DEFAULT_RUNTIME_IMAGE.replace('docker.io/', 'mirror.example.com/hub/'));
    expect(mirrorImage('registry.access.redhat.com/ubi9/go-toolset:1', MIRROR)).toBe('mirror.example.com/rh/ubi9/go-toolset:1');
    expect(mirrorImage('quay.io/x/y:1', MIRROR)).toBe('quay.io/x/y:1');
    expect(mirrorImage(DEFAULT_RUNTIME_IMAGE, undefined)).toBe(DEFAULT_RUNTIME_IMAGE);
  });

  it('refuses a key that is not a registry host and a value that is not host[:port][/path]', () => {
    expect(() => checkImageMirror('[s]', { 'library/node': 'm.example.com' })).toThrowError(
      "[s] 'imageMirror' maps 'library/node', which is not a registry host: use the host images name, e.g. docker.io or registry.access.redhat.com",
    );
    for (const bad of ['m.example.com/', 'https://m.example.com', 'm.example.com/a b', 'm.example.com/x@y']) {
      expect(() => checkImageMirror('[s]', { 'docker.io': bad }), bad).toThrowError(`[s] 'imageMirror' maps 'docker.io' to '${bad}', which is not host[:port][/path]: e.g. mirror.example.com/docker.io`);
    }
    expect(checkImageMirror('[s]', { 'docker.io': 'm.example.com:5000/hub' })).toEqual({ 'docker.io': 'm.example.com:5000/hub' });
  });

  it('pulls every image the System and the builds run through the mirror, and leaves the images the user named alone', () => {
    const app = mirrored();
    const images = imagesOf(app.objects);
    const ours = images.filter((i) => !i.userProvided);
    // the runtime (controller, import CronJob, credentials Job), the registry, each step image, the git poll's two containers
    expect(new Set(ours.map((i) => i.image))).toEqual(new Set([
      mirrorImage(DEFAULT_RUNTIME_IMAGE, MIRROR), mirrorImage(DEFAULT_REGISTRY_IMAGE, MIRROR),
      ...Object.values(DEFAULT_IMAGES).map((image) => mirrorImage(image, MIRROR)),
    ]));
    expect(ours.filter((i) => !i.image.startsWith('mirror.example.com/'))).toEqual([]);
    // the S2I builders are ours too: mirrored item by item
    const s2i = app.objects.find((o) => o.kind === 'Task' && o.metadata.name.startsWith('s2i-generate-'))!;
    const builders = s2i.spec.params.find((p: { name: string }) => p.name === 'BUILDER_IMAGES').default as string[];
    expect(builders).toContain(`go=mirror.example.com/rh/ubi9/go-toolset:1`);
    expect(builders).toHaveLength(Object.keys(DEFAULT_S2I_BUILDERS).length);
    // the user's base stays where they pull it from
    expect(JSON.stringify(app.objects)).toContain(USER_BASE);
  });

  it('changes nothing without a mirror: every image of ours as published, and pinned by digest', () => {
    const ours = imagesOf(plain().objects).filter((i) => !i.userProvided);
    expect(ours.filter((i) => i.image.includes('mirror.example.com'))).toEqual([]);
    expect(ours.filter((i) => !/@sha256:[0-9a-f]{64}$/.test(i.image))).toEqual([]);
  });

  it('gives the mirrored Tasks names of their own, so that both versions can be installed side by side', () => {
    const names = (objects: readonly Manifest[]) => objects.filter((o) => o.kind === 'Task').map((o) => o.metadata.name).sort();
    const [withMirror, without] = [names(mirrored().objects), names(plain().objects)];
    expect(withMirror).toHaveLength(without.length);
    expect(withMirror.filter((name) => without.includes(name))).toEqual([]);
  });

  it('keeps an image the user set for the runtime or the registry as written', () => {
    const runtimeImage = 'docker.io/library/node:22@sha256:' + 'c'.repeat(64);
    const registryImage = 'docker.io/library/registry:2.8.2';
    const app = synthApp(() => undefined, { registry: StreamRegistry.inCluster({ image: registryImage }), imageMirror: MIRROR, runtimeImage });
    expect(new Set(imagesOf(app.objects).map((i) => i.image))).toEqual(new Set([runtimeImage, registryImage]));
  });

  it('must be known before the first BuildConfig', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'apps', { namespace: 'apps' });
    new BuildConfig(chart, 'b', { source: BuildSource.dockerfile('FROM x:1'), strategy: BuildStrategy.dockerfile(), output: BuildOutput.image('registry.example.com/a/b:1') });
    expect(() => new System(app, 'imagestreams', { imageMirror: MIRROR })).toThrowError(
      "[imagestreams] 'imageMirror' must be known before the first BuildConfig ('apps/imagestreams-builds-apps' was made first, its Tasks unmirrored): create the System before the BuildConfigs",
    );
  });
});
