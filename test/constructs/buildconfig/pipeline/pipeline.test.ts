import { describe, expect, it } from 'vitest';
import { BuildSource, BuildStrategy } from '../../../../constructs/buildconfig';
import { buildPipelineSpec, type PipelinePlan } from '../../../../constructs/buildconfig/pipeline/pipeline';
import type { PipelineSpec, TaskSpec } from '../../../../constructs/tekton';

const git = BuildSource.git({ uri: 'https://github.com/example/app.git' });

function pipelineFor(plan: Partial<PipelinePlan> & Pick<PipelinePlan, 'strategy'>): { spec: PipelineSpec; tasks: Record<string, TaskSpec> } {
  const tasks: Record<string, TaskSpec> = {};
  const spec = buildPipelineSpec({ source: git, image: 'r.io/app:1', registries: { insecure: [], cas: [] }, imageLabels: {}, baseImage: '', ...plan }, (base, task) => {
    tasks[base] = task;
    return `${base}-x`;
  });
  return { spec, tasks };
}
const defaults = (spec: PipelineSpec) => Object.fromEntries((spec.params ?? []).map((p) => [p.name, p.default]));
const task = (spec: PipelineSpec, name: string) => spec.tasks.find((t) => t.name === name)!;
const param = (spec: PipelineSpec, taskName: string, name: string) => task(spec, taskName).params?.find((p) => p.name === name)?.value;

describe('buildPipelineSpec', () => {
  it('S2I: fetch → generate → build; the builder is BASE_IMAGE, the build uses what generate wrote', () => {
    const { spec } = pipelineFor({ strategy: BuildStrategy.sourceToImage({ builders: { nodejs: 'e.io/node:20' }, env: { NPM_MIRROR: 'x' } }) });
    expect(spec.tasks.map((t) => [t.name, t.taskRef.name, t.runAfter])).toEqual([
      ['fetch', 'git-fetch-x', undefined], ['generate', 's2i-generate-x', ['fetch']], ['build', 'buildah-build-x', undefined],
    ]);
    expect(param(spec, 'generate', 'BUILDER_IMAGE')).toBe('$(params.BASE_IMAGE)');
    expect(param(spec, 'generate', 'BUILDER_IMAGES')).toEqual(['$(params.BUILDER_IMAGES[*])']);
    expect(param(spec, 'build', 'CONTEXT')).toBe('$(tasks.generate.results.CONTEXT)');
    expect(param(spec, 'build', 'BASE_IMAGE')).toBeUndefined();
    expect(defaults(spec)).toMatchObject({ BUILDER_IMAGES: ['nodejs=e.io/node:20'], ENV: ['NPM_MIRROR=x'] });
    // A git source without ref: REVISION empty = the remote's default branch, never an assumed 'master'.
    expect(defaults(spec).REVISION).toBe('');
  });

  it('S2I: the build step reads the builder\'s scripts label; scripts and incremental reach the generate step only when set', () => {
    const plain = pipelineFor({ strategy: BuildStrategy.sourceToImage() }).spec;
    expect(param(plain, 'build', 'S2I')).toBe('true');
    expect([param(plain, 'generate', 'SCRIPTS_URL'), param(plain, 'generate', 'INCREMENTAL')]).toEqual([undefined, undefined]);
    const set = pipelineFor({ strategy: BuildStrategy.sourceToImage({ scripts: 'image:///opt/s2i', incremental: true }) }).spec;
    expect([param(set, 'generate', 'SCRIPTS_URL'), param(set, 'generate', 'INCREMENTAL')]).toEqual(['image:///opt/s2i', 'true']);
    expect(param(pipelineFor({ strategy: BuildStrategy.dockerfile() }).spec, 'build', 'S2I')).toBeUndefined();
  });

  it('passes an ssh source\'s insecureIgnoreHostKey to the clone, and nothing otherwise', () => {
    const ssh = BuildSource.git({ uri: 'git@github.com:example/app.git', insecureIgnoreHostKey: true });
    expect(param(pipelineFor({ source: ssh, strategy: BuildStrategy.dockerfile() }).spec, 'fetch', 'SSH_INSECURE_IGNORE_HOST_KEY')).toBe('true');
    expect(param(pipelineFor({ strategy: BuildStrategy.dockerfile() }).spec, 'fetch', 'SSH_INSECURE_IGNORE_HOST_KEY')).toBeUndefined();
  });

  it('writes what the user wrote percent-encoded in % and $, so that Tekton and the kubelet leave it alone', () => {
    const source = BuildSource.git({ uri: 'https://h/r.git', contextDir: 'a $(b)' });
    const strategy = BuildStrategy.dockerfile({ dockerfilePath: 'D.$$', buildArgs: { A: '$(date) 100%' }, env: { E: '$(HOME)' } });
    const { spec } = pipelineFor({ source, strategy, imageLabels: { l: '$$' } });
    expect(defaults(spec)).toMatchObject({
      CONTEXT_DIR: 'a %24(b)', DOCKERFILE: 'D.%24%24', BUILD_ARGS: ['A=%24(date) 100%25'], ENV: ['E=%24(HOME)'], LABELS: ['l=%24%24'], URL: 'https://h/r.git',
    });
    const inline = pipelineFor({ source: BuildSource.dockerfile('FROM x\nRUN echo $(date)'), strategy: BuildStrategy.dockerfile() }).spec;
    expect(defaults(inline).DOCKERFILE_TEXT).toBe('FROM x\nRUN echo %24(date)');
  });

  it('S2I without a builders map leaves the Task\'s default map in force', () => {
    const { spec } = pipelineFor({ strategy: BuildStrategy.sourceToImage() });
    expect(defaults(spec)).not.toHaveProperty('BUILDER_IMAGES');
    expect(param(spec, 'generate', 'BUILDER_IMAGES')).toBeUndefined();
  });

  it('Buildpacks: fetch → build with the builder as BASE_IMAGE, no pull credentials, resources on the build step', () => {
    const strategy = BuildStrategy.buildpacks({ builder: 'docker.io/paketobuildpacks/builder-jammy-base:0.4.400', userId: 1001 });
    const { spec, tasks } = pipelineFor({ strategy, baseImage: 'docker.io/paketobuildpacks/builder-jammy-base:0.4.400', resources: { limits: { memory: '4Gi' } } });
    expect(spec.tasks.map((t) => t.taskRef.name)).toEqual(['git-fetch-x', 'buildpacks-x']);
    expect(param(spec, 'build', 'BUILDER_IMAGE')).toBe('$(params.BASE_IMAGE)');
    expect(defaults(spec).BASE_IMAGE).toBe('docker.io/paketobuildpacks/builder-jammy-base:0.4.400');
    expect(spec.workspaces?.map((w) => w.name)).toEqual(['source']);
    expect(tasks.buildpacks.steps.find((s: { name: string }) => s.name === 'build')).toMatchObject({ computeResources: { limits: { memory: '4Gi' } }, securityContext: { runAsUser: 1001 } });
  });

  it('inline Dockerfile: a write step instead of the clone, no git workspace or COMMIT result', () => {
    const { spec } = pipelineFor({ source: BuildSource.dockerfile('FROM a:1'), strategy: BuildStrategy.dockerfile() });
    expect(spec.tasks.map((t) => t.taskRef.name)).toEqual(['inline-dockerfile-x', 'buildah-build-x']);
    expect(defaults(spec)).toMatchObject({ DOCKERFILE_TEXT: 'FROM a:1' });
    expect(defaults(spec)).not.toHaveProperty('REVISION');
    expect(spec.workspaces?.map((w) => w.name)).toEqual(['source']);
    expect(spec.results?.map((r) => r.name)).toEqual(['IMAGE_DIGEST', 'IMAGE_URL', 'BASE_IMAGE']);
    expect(param(spec, 'build', 'LABELS')).toEqual(['$(params.LABELS[*])']);
  });

  it('declares a Secret workspace only for a Secret the BuildConfig names, and binds only declared ones', () => {
    // GIVEN clone, push and pull Secrets
    const source = BuildSource.git({ uri: 'https://github.com/example/app.git', sourceSecret: 'git' });
    const { spec } = pipelineFor({ source, strategy: BuildStrategy.dockerfile({ pullSecret: 'pull' }), pushSecret: 'push' });
    // THEN each has its optional workspace, bound to the Task that reads it
    expect(spec.workspaces).toEqual([
      { name: 'source', description: 'Holds the sources between tasks.' },
      { name: 'git-credentials', optional: true, description: 'basic-auth or ssh-auth Secret for the clone.' },
      { name: 'dockerconfig', optional: true, description: 'dockerconfigjson Secret for the push.' },
      { name: 'pull-dockerconfig', optional: true, description: 'dockerconfigjson Secret for pulling bases.' },
    ]);
    expect(task(spec, 'fetch').workspaces).toEqual([{ name: 'source', workspace: 'source' }, { name: 'git-credentials', workspace: 'git-credentials' }]);
    expect(task(spec, 'build').workspaces?.map((w) => w.workspace)).toEqual(['source', 'dockerconfig', 'pull-dockerconfig']);
    // AND without Secrets, the Tasks' optional workspaces stay unbound
    const plain = pipelineFor({ strategy: BuildStrategy.dockerfile() }).spec;
    expect(plain.tasks.flatMap((t) => t.workspaces ?? []).map((w) => w.workspace)).toEqual(['source', 'source']);
  });

  it('lets the build step push the layer cache only when it pulls with the push Secret (or neither has one)', () => {
    const fromBuild = (plan: Partial<PipelinePlan> & Pick<PipelinePlan, 'strategy'>) => param(pipelineFor(plan).spec, 'build', 'CACHE_PUSH_FROM_BUILD');
    // GIVEN one Secret for both, or none THEN the build step pushes the cache
    expect(fromBuild({ strategy: BuildStrategy.dockerfile(), pushSecret: 'registry', pullSecret: 'registry' })).toBe('true');
    expect(fromBuild({ strategy: BuildStrategy.dockerfile({ pullSecret: 'registry' }), pushSecret: 'registry' })).toBe('true');
    expect(fromBuild({ strategy: BuildStrategy.dockerfile() })).toBe('true');
    // GIVEN a push Secret the build step does not hold THEN the push step pushes the cache (the Task's default)
    expect(fromBuild({ strategy: BuildStrategy.dockerfile({ pullSecret: 'pull' }), pushSecret: 'push' })).toBeUndefined();
    expect(fromBuild({ strategy: BuildStrategy.dockerfile(), pushSecret: 'push' })).toBeUndefined();
  });

  it('Dockerfile: the settings are param defaults, and the commit labels are added', () => {
    const strategy = BuildStrategy.dockerfile({ dockerfilePath: 'docker/Dockerfile', buildArgs: { B: '2', A: '1' }, noCache: true });
    const { spec } = pipelineFor({ strategy, registries: { insecure: ['r.io'], cas: [] }, imageLabels: { team: 'x' } });
    expect(defaults(spec)).toMatchObject({ DOCKERFILE: 'docker/Dockerfile', BUILD_ARGS: ['A=1', 'B=2'], NO_CACHE: 'true', INSECURE_REGISTRIES: ['r.io'], LABELS: ['team=x'] });
    expect(param(spec, 'build', 'LABELS')).toEqual([
      '$(params.LABELS[*])', 'io.openshift.build.commit.id=$(tasks.fetch.results.COMMIT)', 'io.openshift.build.source-location=$(tasks.fetch.results.URL)',
    ]);
  });
});
