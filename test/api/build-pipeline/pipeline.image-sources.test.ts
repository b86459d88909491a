import { describe, expect, it } from 'vitest';
import { buildPipelineSpec } from '../../../lib/api/build-pipeline/pipeline';
import { pipelinePlan, type BuildTarget } from '../../../lib/api/build-pipeline/plan';
import { runWorkspaces } from '../../../lib/api/build-pipeline/workspaces';
import type { BuildConfigSpec, BuildSourceSpec, BuildStrategySpec, ImageBuildSource } from '../../../lib/api/buildconfig';
import type { PipelineSpec, TaskSpec } from '../../../lib/api/tekton';

/** OpenShift's `source.images` in the emitted Pipeline: an image-sources task after the fetch, before anything reads the sources. */

const git = { uri: 'https://github.com/example/app.git' };
const docker: BuildStrategySpec = { dockerStrategy: {} };
const tools: ImageBuildSource = { from: { kind: 'DockerImage', name: 'r.io/tools:1' }, paths: [{ sourcePath: '/opt/tools/.', destinationDir: 'vendor/tools' }] };
const jar: ImageBuildSource = { from: { kind: 'ImageStreamTag', name: 'libs:latest' }, paths: [{ sourcePath: '/usr/lib/a=b $x.jar', destinationDir: '.' }] };

function specOf(source: BuildSourceSpec, strategy: BuildStrategySpec = docker, extra: Partial<BuildConfigSpec> = {}): BuildConfigSpec {
  return { source, strategy, output: { to: { kind: 'DockerImage', name: 'r.io/app:1' } }, ...extra };
}

function pipelineFor(spec: BuildConfigSpec, target: BuildTarget = { image: 'r.io/app:1' }): { spec: PipelineSpec; tasks: Record<string, TaskSpec> } {
  const tasks: Record<string, TaskSpec> = {};
  const pipeline = buildPipelineSpec(spec, target, (base, task) => {
    tasks[base] = task;
    return { taskRef: { name: `${base}-x` } };
  });
  return { spec: pipeline, tasks };
}
const defaults = (spec: PipelineSpec) => Object.fromEntries((spec.params ?? []).map((p) => [p.name, p.default]));
const task = (spec: PipelineSpec, name: string) => spec.tasks.find((t) => t.name === name)!;
const param = (spec: PipelineSpec, taskName: string, name: string) => task(spec, taskName).params?.find((p) => p.name === name)?.value;
const order = (spec: PipelineSpec) => spec.tasks.map((t) => [t.name, t.taskRef?.name, t.runAfter]);

describe('buildPipelineSpec: source.images', () => {
  it('Docker with git: fetch → images → build; fixed images are IMAGE_SOURCES defaults, stream tags come with each run', () => {
    // GIVEN a git source with a fixed image and a stream tag as image sources
    const { spec, tasks } = pipelineFor(specOf({ git, images: [tools, jar] }));
    // THEN the images are copied after the clone and before the build
    expect(order(spec)).toEqual([
      ['fetch', 'git-fetch-x', undefined], ['images', 'image-sources-x', ['fetch']], ['build', 'buildah-build-x', ['images']],
    ]);
    // AND the fixed image is a default; the stream tag's index has none (the controller sets it by digest)
    expect(defaults(spec).IMAGE_SOURCES).toEqual(['0=r.io/tools:1']);
    // AND the paths are percent-encoded in %, $, = and blanks, so that each item splits at its own '='
    expect(defaults(spec).IMAGE_SOURCE_PATHS).toEqual(['0=vendor/tools=/opt/tools/.', '1=.=/usr/lib/a%3Db%20%24x.jar']);
    expect(spec.description).toContain('and IMAGE_SOURCES');
    expect(param(spec, 'images', 'IMAGE_SOURCES')).toEqual(['$(params.IMAGE_SOURCES[*])']);
    expect(param(spec, 'images', 'CLEAN')).toBeUndefined();
    // AND the step that copies runs no code of the images, so it alone adds DAC_OVERRIDE (to read any file of them)
    const step = tasks['image-sources'].steps[0];
    expect(step.securityContext?.capabilities).toEqual({ drop: ['ALL'], add: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETFCAP', 'SETGID', 'SETUID'] });
    expect(tasks['buildah-build'].stepTemplate?.securityContext?.capabilities?.add).not.toContain('DAC_OVERRIDE');
  });

  it('pulls with the build\'s pull Secret and the registries\' CAs, bound to the images task too', () => {
    const spec = specOf({ git, images: [tools] }, { dockerStrategy: { pullSecret: { name: 'pull' } } }, { registries: [{ host: 'r.io', ca: { configMap: { name: 'cas', key: 'ca.crt' } } }] });
    const { spec: pipeline } = pipelineFor(spec);
    expect(task(pipeline, 'images').workspaces).toEqual([
      { name: 'source', workspace: 'source' }, { name: 'pull-dockerconfig', workspace: 'pull-dockerconfig' }, { name: 'registry-cas', workspace: 'registry-cas' },
    ]);
    expect(runWorkspaces(pipelinePlan(spec, { image: 'r.io/app:1' })).map((w) => w.name)).toEqual(['source', 'pull-dockerconfig', 'registry-cas']);
  });

  it("pulls the image sources that name their own pullSecret with it, on a workspace of its own; the others with the build's", () => {
    // GIVEN an image source with its own Secret, and one without
    const own = { ...jar, pullSecret: { name: 'artifacts' } };
    const spec = specOf({ git, images: [tools, own] }, { dockerStrategy: { pullSecret: { name: 'pull' } } });
    const { spec: pipeline } = pipelineFor(spec);
    // THEN the Secret is bound to the images task alone, and only the image naming it is pulled with it
    expect(pipeline.workspaces?.map((w) => w.name)).toEqual(['source', 'pull-dockerconfig', 'images-pull-dockerconfig']);
    expect(task(pipeline, 'images').workspaces?.map((w) => w.workspace)).toEqual(['source', 'pull-dockerconfig', 'images-pull-dockerconfig']);
    expect(task(pipeline, 'build').workspaces?.map((w) => w.workspace)).not.toContain('images-pull-dockerconfig');
    expect(param(pipeline, 'images', 'OWN_PULL_SECRET')).toEqual(['1']);
    expect(runWorkspaces(pipelinePlan(spec, { image: 'r.io/app:1' }))).toContainEqual({ name: 'images-pull-dockerconfig', secret: { secretName: 'artifacts' } });
    // AND naming the build's own pull Secret adds nothing
    const same = pipelineFor(specOf({ git, images: [{ ...jar, pullSecret: { name: 'pull' } }] }, { dockerStrategy: { pullSecret: { name: 'pull' } } })).spec;
    expect(same.workspaces?.map((w) => w.name)).toEqual(['source', 'pull-dockerconfig']);
    expect(param(same, 'images', 'OWN_PULL_SECRET')).toBeUndefined();
  });

  it('S2I: the files are in the sources before generate copies them into what it builds', () => {
    const { spec } = pipelineFor(specOf({ git, images: [tools] }, { sourceStrategy: { from: { kind: 'DockerImage', name: 'r.io/node:20' } } }));
    expect(order(spec)).toEqual([
      ['fetch', 'git-fetch-x', undefined], ['images', 'image-sources-x', ['fetch']], ['generate', 's2i-generate-x', ['images']], ['build', 'buildah-build-x', undefined],
    ]);
  });

  it('a source of images only (type Image): no fetch, the images task starts from an empty workspace', () => {
    const { spec } = pipelineFor(specOf({ images: [tools] }));
    expect(order(spec)).toEqual([['images', 'image-sources-x', undefined], ['build', 'buildah-build-x', ['images']]]);
    expect(param(spec, 'images', 'CLEAN')).toBe('true');
    expect(defaults(spec)).not.toHaveProperty('DOCKERFILE_TEXT');
    expect(defaults(spec)).not.toHaveProperty('REVISION');
    expect(spec.results?.map((r) => r.name)).toEqual(['IMAGE_DIGEST', 'IMAGE_URL', 'BASE_IMAGE']);
  });

  it('an inline Dockerfile wins over an image\'s file of the same name (KEEP), as in OpenShift', () => {
    const { spec } = pipelineFor(specOf({ dockerfile: 'FROM a:1\nCOPY tools /tools', images: [tools] }));
    expect(order(spec)).toEqual([['fetch', 'inline-dockerfile-x', undefined], ['images', 'image-sources-x', ['fetch']], ['build', 'buildah-build-x', ['images']]]);
    expect(param(spec, 'images', 'KEEP')).toBe('Dockerfile');
    expect(param(pipelineFor(specOf({ git, images: [tools] })).spec, 'images', 'KEEP')).toBeUndefined();
  });

  it('without image sources, nothing of them is emitted', () => {
    const { spec, tasks } = pipelineFor(specOf({ git }));
    expect(spec.tasks.map((t) => t.name)).toEqual(['fetch', 'build']);
    expect(defaults(spec)).not.toHaveProperty('IMAGE_SOURCES');
    expect(tasks).not.toHaveProperty('image-sources');
  });

  it('refuses image sources with the Buildpacks strategy, saying why and what to do', () => {
    const spec = specOf({ git, images: [tools] }, { buildpacksStrategy: { builder: 'r.io/builder:1' } });
    expect(() => pipelineFor(spec)).toThrowError('source.images is for the Docker and Source strategies: a Buildpacks build reads only its sources; copy the files in with a Docker build, or remove source.images');
  });
});
