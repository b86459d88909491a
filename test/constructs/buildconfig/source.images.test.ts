import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ImageStream, StreamRegistry, System } from '../../../constructs';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy } from '../../../constructs/buildconfig';

/** OpenShift's `source.images` in the constructs: `images` on git/dockerfile/binary sources, and BuildSource.image(). */

type Manifest = { kind: string; metadata: { name: string }; spec: Record<string, any> };

function setup() {
  const app = Testing.app();
  new System(app, 'imagestreams', { registry: StreamRegistry.external({ host: 'registry.example.com', pushSecret: 'push', pullSecret: 'pull' }) });
  const chart = new Chart(app, 'seed', { namespace: 'seed' });
  const tools = new ImageStream(chart, 'tools');
  tools.importTag('1', { from: 'docker.io/example/tools:1' });
  const out = new ImageStream(chart, 'app');
  return { app, chart, tools, out };
}
const synth = (chart: Chart) => Testing.synth(chart) as Manifest[];
const uri = 'https://github.com/example/app.git';

describe('BuildSource images', () => {
  it("writes OpenShift's source.images: a stream tag of the namespace without one, an image as DockerImage; the stream tag starts no build by itself", () => {
    // GIVEN a git source with a stream tag and an image as image sources
    const { chart, tools, out } = setup();
    new BuildConfig(chart, 'app-build', {
      name: 'app',
      source: BuildSource.git({
        uri,
        images: [
          { from: tools.tag('1'), paths: [{ sourcePath: '/opt/tools/.', destinationDir: 'vendor/tools' }] },
          { from: 'registry.example.com/libs/jar:2', paths: [{ sourcePath: '/usr/lib/a.jar', destinationDir: '.' }] },
        ],
      }),
      strategy: BuildStrategy.dockerfile({ from: 'registry.example.com/base:1' }),
      output: BuildOutput.imageStreamTag(out.tag('latest')),
    });
    // WHEN synthesized
    const objects = synth(chart);
    const bc = objects.find((o) => o.kind === 'BuildConfig')!;
    // THEN the spec has them in OpenShift's shape
    expect(bc.spec.source).toEqual({
      type: 'Git',
      git: { uri },
      images: [
        { from: { kind: 'ImageStreamTag', name: 'tools:1' }, paths: [{ sourcePath: '/opt/tools/.', destinationDir: 'vendor/tools' }] },
        { from: { kind: 'DockerImage', name: 'registry.example.com/libs/jar:2' }, paths: [{ sourcePath: '/usr/lib/a.jar', destinationDir: '.' }] },
      ],
    });
    // AND no image change trigger follows the image source (the base is fixed: only a config change)
    expect(bc.spec.triggers).toEqual([{ type: 'ConfigChange', configChange: {} }]);
    // AND the registry's pull Secret is lent, since the stream tag lives there
    expect(bc.spec.strategy.dockerStrategy.pullSecret).toEqual({ name: 'pull' });
    // AND the Pipeline copies them before the build, the fixed image as a default
    const pipeline = objects.find((o) => o.kind === 'Pipeline')!;
    expect(pipeline.spec.tasks.map((t: { name: string }) => t.name)).toEqual(['fetch', 'images', 'build']);
    expect(pipeline.spec.params.find((p: { name: string }) => p.name === 'IMAGE_SOURCES').default).toEqual(['1=registry.example.com/libs/jar:2']);
  });

  it('BuildSource.image(): a source of images only, as OpenShift infers type Image', () => {
    const { chart, tools, out } = setup();
    new BuildConfig(chart, 'app-build', {
      name: 'app',
      source: BuildSource.image({ images: [{ from: tools.tag('1'), paths: [{ sourcePath: '/src/.', destinationDir: 'app' }] }], contextDir: 'app' }),
      strategy: BuildStrategy.dockerfile({ from: 'registry.example.com/base:1' }),
      output: BuildOutput.imageStreamTag(out.tag('latest')),
    });
    const objects = synth(chart);
    expect(objects.find((o) => o.kind === 'BuildConfig')!.spec.source).toEqual({
      type: 'Image', contextDir: 'app', images: [{ from: { kind: 'ImageStreamTag', name: 'tools:1' }, paths: [{ sourcePath: '/src/.', destinationDir: 'app' }] }],
    });
    expect(objects.find((o) => o.kind === 'Pipeline')!.spec.tasks.map((t: { name: string }) => t.name)).toEqual(['images', 'build']);
  });

  it('an inline Dockerfile takes images too', () => {
    const source = BuildSource.dockerfile('FROM a:1\nCOPY tools /tools\n', { images: [{ from: 'r.example.com/t:1', paths: [{ sourcePath: '/t', destinationDir: 'tools' }] }] });
    expect(source.images).toEqual([{ from: 'r.example.com/t:1', paths: [{ sourcePath: '/t', destinationDir: 'tools' }] }]);
  });

  it.each([
    [{ from: 42, paths: [{ sourcePath: '/a', destinationDir: '.' }] }, "BuildSource.git(): 'images[0].from' (42) must be a stream tag (stream.tag('1')) or an image reference ('registry.example.com/tools:1')"],
    [{ from: 'Bad Image', paths: [{ sourcePath: '/a', destinationDir: '.' }] }, "BuildSource.git(): 'images[0].from' (Bad Image) is not a valid image reference"],
    [{ from: 'r.io/t:1', paths: [] }, "BuildSource.git(): 'images[0].paths' must list at least one { sourcePath, destinationDir }, e.g. [{ sourcePath: '/opt/lib/app.jar', destinationDir: 'lib' }]"],
    [{ from: 'r.io/t:1', paths: [{ sourcePath: 'opt/a', destinationDir: '.' }] }, "BuildSource.git(): 'images[0].paths[0].sourcePath' (opt/a) must be an absolute path in the image without '..', e.g. '/opt/lib/app.jar', or '/opt/lib/.' for a directory's content"],
    [{ from: 'r.io/t:1', paths: [{ sourcePath: '/opt/../etc', destinationDir: '.' }] }, "BuildSource.git(): 'images[0].paths[0].sourcePath' (/opt/../etc) must be an absolute path in the image without '..'"],
    [{ from: 'r.io/t:1', paths: [{ sourcePath: '/a', destinationDir: '/abs' }] }, "BuildSource.git(): 'images[0].paths[0].destinationDir' (/abs) must be a directory relative to the sources' root without '..', e.g. 'lib' ('.' for the root)"],
    [{ from: 'r.io/t:1', paths: [{ sourcePath: '/a', destinationDir: '../up' }] }, "BuildSource.git(): 'images[0].paths[0].destinationDir' (../up) must be a directory relative to the sources' root without '..'"],
  ])('refuses %j, naming the prop, the value and the fix', (image, message) => {
    expect(() => BuildSource.git({ uri, images: [image as never] })).toThrowError(message);
  });

  it("writes an image's own pullSecret, and refuses two different ones (the images are pulled with one Secret)", () => {
    const one = BuildSource.git({ uri, images: [{ from: 'r.example.com/a:1', paths: [{ sourcePath: '/a', destinationDir: '.' }], pullSecret: 'artifacts' }] });
    expect(one.images[0].pullSecret).toBe('artifacts');
    expect(() => BuildSource.git({
      uri,
      images: [
        { from: 'r.example.com/a:1', paths: [{ sourcePath: '/a', destinationDir: '.' }], pullSecret: 'one' },
        { from: 'q.example.com/b:1', paths: [{ sourcePath: '/b', destinationDir: '.' }], pullSecret: 'two' },
      ],
    })).toThrowError("BuildSource.git(): 'images' name two pullSecrets (one, two): the image sources are pulled with one Secret; merge the registries' credentials into one kubernetes.io/dockerconfigjson Secret and name it in each");
  });

  it('BuildSource.image() needs at least one image', () => {
    expect(() => BuildSource.image({ images: [] })).toThrowError("BuildSource.image(): 'images' must list at least one image, e.g. [{ from: stream.tag('1'), paths: [{ sourcePath: '/src/.', destinationDir: '.' }] }]");
  });

  it('refuses image sources with Buildpacks, naming the construct', () => {
    const { chart, out } = setup();
    expect(() => new BuildConfig(chart, 'cnb', {
      source: BuildSource.git({ uri, images: [{ from: 'r.example.com/t:1', paths: [{ sourcePath: '/t', destinationDir: '.' }] }] }),
      strategy: BuildStrategy.buildpacks({ builder: 'r.example.com/builder:1' }),
      output: BuildOutput.imageStreamTag(out.tag('latest')),
    })).toThrowError("[seed/cnb] 'source' has images (r.example.com/t:1), which BuildStrategy.buildpacks() cannot copy into its sources: use BuildStrategy.dockerfile() or .sourceToImage(), or leave them out");
  });

  it('refuses, when synthesized, a stream tag its stream does not define', () => {
    const { app, chart, tools, out } = setup();
    new BuildConfig(chart, 'app-build', {
      source: BuildSource.git({ uri, images: [{ from: tools.tag('2'), paths: [{ sourcePath: '/t', destinationDir: '.' }] }] }),
      strategy: BuildStrategy.dockerfile({ from: 'registry.example.com/base:1' }),
      output: BuildOutput.imageStreamTag(out.tag('latest')),
    });
    expect(() => app.synth()).toThrowError("'seed/tools:2' is not a tag of its stream: define it (importTag, aliasTag …) or refer to it with ImageStreamTag.external('seed/tools:2')");
  });
});
