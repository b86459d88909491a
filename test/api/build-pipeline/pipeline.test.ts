import { describe, expect, it } from 'vitest';
import { buildPipelineSpec, embedTasks } from '../../../lib/api/build-pipeline/pipeline';
import type { BuildTarget } from '../../../lib/api/build-pipeline/plan';
import type { BuildConfigSpec, BuildSourceSpec, BuildStrategySpec } from '../../../lib/api/buildconfig';
import type { PipelineSpec, TaskSpec } from '../../../lib/api/tekton';

const git: BuildSourceSpec = { git: { uri: 'https://github.com/example/app.git' } };
const docker: BuildStrategySpec = { dockerStrategy: {} };

/** A BuildConfig spec as OpenShift writes one: types inferred, options under the strategy. */
function specOf(strategy: BuildStrategySpec, extra: Partial<BuildConfigSpec> = {}): BuildConfigSpec {
  return { source: git, strategy, output: { to: { kind: 'DockerImage', name: 'r.io/app:1' } }, ...extra };
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

describe('buildPipelineSpec', () => {
  it('S2I: fetch → generate → build; the builder is BASE_IMAGE, the build uses what generate wrote', () => {
    const { spec } = pipelineFor(specOf({ sourceStrategy: { builders: [{ language: 'nodejs', image: 'e.io/node:20' }], env: [{ name: 'NPM_MIRROR', value: 'x' }] } }));
    expect(spec.tasks.map((t) => [t.name, t.taskRef?.name, t.runAfter])).toEqual([
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

  it("S2I: OpenShift's `from` (a fixed builder) is BASE_IMAGE's default; scripts and incremental reach the generate step only when set", () => {
    const plain = pipelineFor(specOf({ type: 'Source', sourceStrategy: { from: { kind: 'DockerImage', name: 'registry.access.redhat.com/ubi9/nodejs-20' } } })).spec;
    expect(defaults(plain).BASE_IMAGE).toBe('registry.access.redhat.com/ubi9/nodejs-20');
    expect(param(plain, 'build', 'S2I')).toBe('true');
    expect([param(plain, 'generate', 'SCRIPTS_URL'), param(plain, 'generate', 'INCREMENTAL')]).toEqual([undefined, undefined]);
    const set = pipelineFor(specOf({ sourceStrategy: { scripts: 'image:///opt/s2i', incremental: true } })).spec;
    expect([param(set, 'generate', 'SCRIPTS_URL'), param(set, 'generate', 'INCREMENTAL')]).toEqual(['image:///opt/s2i', 'true']);
    expect(param(pipelineFor(specOf(docker)).spec, 'build', 'S2I')).toBeUndefined();
  });

  it("passes an ssh source's insecureIgnoreHostKey to the clone, and nothing otherwise", () => {
    const ssh = { git: { uri: 'git@github.com:example/app.git', insecureIgnoreHostKey: true } };
    expect(param(pipelineFor(specOf(docker, { source: ssh })).spec, 'fetch', 'SSH_INSECURE_IGNORE_HOST_KEY')).toBe('true');
    expect(param(pipelineFor(specOf(docker)).spec, 'fetch', 'SSH_INSECURE_IGNORE_HOST_KEY')).toBeUndefined();
  });

  it('writes what the user wrote percent-encoded in % and $, so that Tekton and the kubelet leave it alone', () => {
    const strategy = { dockerStrategy: { dockerfilePath: 'D.$$', buildArgs: [{ name: 'A', value: '$(date) 100%' }], env: [{ name: 'E', value: '$(HOME)' }] } };
    const { spec } = pipelineFor(specOf(strategy, { source: { git: { uri: 'https://h/r.git' }, contextDir: 'a $(b)' }, output: { to: { kind: 'DockerImage', name: 'r.io/app:1' }, imageLabels: [{ name: 'l', value: '$$' }] } }));
    expect(defaults(spec)).toMatchObject({
      CONTEXT_DIR: 'a %24(b)', DOCKERFILE: 'D.%24%24', BUILD_ARGS: ['A=%24(date) 100%25'], ENV: ['E=%24(HOME)'], LABELS: ['l=%24%24'], URL: 'https://h/r.git',
    });
    const inline = pipelineFor(specOf(docker, { source: { dockerfile: 'FROM x\nRUN echo $(date)' } })).spec;
    expect(defaults(inline).DOCKERFILE_TEXT).toBe('FROM x\nRUN echo %24(date)');
  });

  it("S2I without a builders map leaves the Task's default map in force", () => {
    const { spec } = pipelineFor(specOf({ sourceStrategy: {} }));
    expect(defaults(spec)).not.toHaveProperty('BUILDER_IMAGES');
    expect(param(spec, 'generate', 'BUILDER_IMAGES')).toBeUndefined();
  });

  it('Buildpacks: fetch → build with the builder as BASE_IMAGE, no pull credentials, resources on the build step', () => {
    const builder = 'docker.io/paketobuildpacks/builder-jammy-base:0.4.400';
    const { spec, tasks } = pipelineFor(specOf({ buildpacksStrategy: { builder, userId: 1001 } }, { resources: { limits: { memory: '4Gi' } } }), { image: 'r.io/app:1', pullSecret: 'ignored' });
    expect(spec.tasks.map((t) => t.taskRef?.name)).toEqual(['git-fetch-x', 'buildpacks-x']);
    expect(param(spec, 'build', 'BUILDER_IMAGE')).toBe('$(params.BASE_IMAGE)');
    expect(defaults(spec).BASE_IMAGE).toBe(builder);
    expect(spec.workspaces?.map((w) => w.name)).toEqual(['source']);
    expect(tasks.buildpacks.steps.find((s: { name: string }) => s.name === 'build')).toMatchObject({ computeResources: { limits: { memory: '4Gi' } }, securityContext: { runAsUser: 1001 } });
  });

  it('inline Dockerfile (source type inferred): a write step instead of the clone, no git workspace or COMMIT result', () => {
    const { spec } = pipelineFor(specOf(docker, { source: { dockerfile: 'FROM a:1' } }));
    expect(spec.tasks.map((t) => t.taskRef?.name)).toEqual(['inline-dockerfile-x', 'buildah-build-x']);
    expect(defaults(spec)).toMatchObject({ DOCKERFILE_TEXT: 'FROM a:1' });
    expect(defaults(spec)).not.toHaveProperty('REVISION');
    expect(spec.workspaces?.map((w) => w.name)).toEqual(['source']);
    expect(spec.results?.map((r) => r.name)).toEqual(['IMAGE_DIGEST', 'IMAGE_URL', 'BASE_IMAGE']);
    expect(param(spec, 'build', 'LABELS')).toEqual(['$(params.LABELS[*])']);
  });

  it('declares a Secret workspace only for a Secret the BuildConfig names, and binds only declared ones', () => {
    // GIVEN clone, push and pull Secrets
    const source = { git: { uri: 'https://github.com/example/app.git' }, sourceSecret: { name: 'git' } };
    const { spec } = pipelineFor(specOf({ dockerStrategy: { pullSecret: { name: 'pull' } } }, { source, output: { to: { kind: 'DockerImage', name: 'r.io/app:1' }, pushSecret: { name: 'push' } } }));
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
    const plain = pipelineFor(specOf(docker)).spec;
    expect(plain.tasks.flatMap((t) => t.workspaces ?? []).map((w) => w.workspace)).toEqual(['source', 'source']);
  });

  it('takes the Secrets the System lends (target) when the spec names none, and the spec\'s own over them', () => {
    const lent = pipelineFor(specOf(docker), { image: 'r.io/app:1', pushSecret: 'registry', pullSecret: 'registry' }).spec;
    expect(lent.workspaces?.map((w) => w.name)).toEqual(['source', 'dockerconfig', 'pull-dockerconfig']);
    const own = pipelineFor(specOf({ dockerStrategy: { pullSecret: { name: 'mine' } } }), { image: 'r.io/app:1', pullSecret: 'registry' }).spec;
    expect(param(own, 'build', 'CACHE_PUSH_FROM_BUILD')).toBeUndefined();
  });

  it('lets the build step push the layer cache only when it pulls with the push Secret (or neither has one)', () => {
    const fromBuild = (strategy: BuildStrategySpec, pushSecret?: string, target: BuildTarget = { image: 'r.io/app:1' }) => param(pipelineFor(specOf(strategy, {
      output: { to: { kind: 'DockerImage', name: 'r.io/app:1' }, ...(pushSecret ? { pushSecret: { name: pushSecret } } : {}) },
    }), target).spec, 'build', 'CACHE_PUSH_FROM_BUILD');
    // GIVEN one Secret for both, or none THEN the build step pushes the cache
    expect(fromBuild(docker, 'registry', { image: 'r.io/app:1', pullSecret: 'registry' })).toBe('true');
    expect(fromBuild({ dockerStrategy: { pullSecret: { name: 'registry' } } }, 'registry')).toBe('true');
    expect(fromBuild(docker)).toBe('true');
    // GIVEN a push Secret the build step does not hold THEN the push step pushes the cache (the Task's default)
    expect(fromBuild({ dockerStrategy: { pullSecret: { name: 'pull' } } }, 'push')).toBeUndefined();
    expect(fromBuild(docker, 'push')).toBeUndefined();
  });

  it('Dockerfile: the settings are param defaults, and the commit labels are added', () => {
    const strategy = { dockerStrategy: { dockerfilePath: 'docker/Dockerfile', buildArgs: [{ name: 'B', value: '2' }, { name: 'A', value: '1' }], noCache: true } };
    const { spec } = pipelineFor(specOf(strategy, { registries: [{ host: 'r.io', insecure: true }], output: { to: { kind: 'DockerImage', name: 'r.io/app:1' }, imageLabels: [{ name: 'team', value: 'x' }] } }));
    expect(defaults(spec)).toMatchObject({ DOCKERFILE: 'docker/Dockerfile', BUILD_ARGS: ['A=1', 'B=2'], NO_CACHE: 'true', INSECURE_REGISTRIES: ['r.io'], LABELS: ['team=x'] });
    expect(param(spec, 'build', 'LABELS')).toEqual([
      '$(params.LABELS[*])', 'io.openshift.build.commit.id=$(tasks.fetch.results.COMMIT)', 'io.openshift.build.source-location=$(tasks.fetch.results.URL)',
    ]);
  });

  it('embeds every Task for a BuildConfig without a Pipeline: the same tasks, each with its spec instead of a name', () => {
    const spec = specOf({ sourceStrategy: { incremental: true } });
    const referred = pipelineFor(spec);
    const embedded = buildPipelineSpec(spec, { image: 'r.io/app:1' }, embedTasks);
    expect(embedded.tasks.map((t) => [t.name, t.taskRef, t.taskSpec])).toEqual(referred.spec.tasks.map((t) => [t.name, undefined, referred.tasks[t.taskRef!.name.replace(/-x$/, '')]]));
    expect({ ...embedded, tasks: [] }).toEqual({ ...referred.spec, tasks: [] });
  });

  it("OpenShift's source type None: no fetch, the build starts from the empty sources volume", () => {
    const s2i = pipelineFor(specOf({ sourceStrategy: { from: { kind: 'DockerImage', name: 'b:1' } } }, { source: {} })).spec;
    expect(s2i.tasks.map((t) => t.name)).toEqual(['generate', 'build']);
    expect(defaults(s2i)).not.toHaveProperty('URL');
    const none = pipelineFor(specOf(docker, { source: { type: 'None' } })).spec;
    expect(none.tasks.map((t) => [t.name, t.runAfter])).toEqual([['build', undefined]]);
    expect(JSON.stringify(none)).not.toContain('tasks.fetch');
  });
});
