import { Duration } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ImageStream } from '../../constructs';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy, BuildTrigger } from '../../constructs/buildconfig';
import { pipelineRunFor, type BuildConfigLike } from '../../lib/api/build-run';
import type { PipelineRun } from '../../lib/api/pipeline-run';
import { manualRun } from '../../lib/cli/builds/manual-run';
import { fakeBuildConfig } from '../runtime/controller/builds/build-fixtures';
import { synthApp, type Manifest } from '../support/synth-app';

const COMMIT = '0123456789abcdef0123456789abcdef01234567';

/** The seed's foo build, synthesized with a webhook and a git poll, so that all four run makers exist. */
function fooApp() {
  return synthApp(({ chart }) => {
    const seed = chart('seed');
    const jdk8 = new ImageStream(seed, 'jdk8');
    jdk8.importTag('latest', { from: 'eclipse-temurin:8-jdk' });
    const foo = new ImageStream(seed, 'foo');
    new BuildConfig(seed, 'foo-build', {
      name: 'foo',
      source: BuildSource.git({ uri: 'https://github.com/example/foo.git', ref: 'main', contextDir: 'app' }),
      strategy: BuildStrategy.dockerfile({ from: jdk8.tag('latest') }),
      output: BuildOutput.imageStreamTag(foo.tag('latest')),
      timeout: Duration.minutes(30),
      nodeSelector: { 'kubernetes.io/arch': 'amd64' },
      triggers: [BuildTrigger.imageChange(), BuildTrigger.webhook({ type: 'GitHub', secret: 'hook' }), BuildTrigger.gitPoll({ interval: Duration.minutes(5) })],
    });
  });
}

/** The BuildConfig as the cluster returns it: the synthesized object with a uid. */
const inCluster = (bc: Manifest): BuildConfigLike => ({ ...bc, metadata: { ...bc.metadata, uid: 'uid-foo' } }) as BuildConfigLike;

/** What Tekton Triggers does with a TriggerTemplate: its params substituted into the resource template. */
function fromTriggerTemplate(template: Manifest, params: Record<string, string>): PipelineRun {
  const text = JSON.stringify(template.spec.resourcetemplates[0]).replace(/\$\(tt\.params\.(\w+)\)/g, (_, name: string) => params[name] ?? '');
  return JSON.parse(text) as PipelineRun;
}

/** What the git-poll script does with its template (sed over @@COMMIT@@ and @@NAME@@). */
function fromPollTemplate(cronJob: Manifest, commit: string): PipelineRun {
  const env = cronJob.spec.jobTemplate.spec.template.spec.containers[0].env as { name: string; value: string }[];
  const template = env.find((e) => e.name === 'RUN_TEMPLATE')!.value;
  return JSON.parse(template.replaceAll('@@COMMIT@@', commit).replaceAll('@@NAME@@', `foo-poll-${commit.slice(0, 12)}`)) as PipelineRun;
}

/** A run without what tells its cause and identity apart: name, cause annotations, number, owner, admission. */
function withoutCause(run: PipelineRun) {
  const { name, generateName, annotations, ownerReferences, labels, ...metadata } = run.metadata;
  const { 'imagestreams.dev/build-number': _, ...otherLabels } = labels ?? {};
  const { status, ...spec } = run.spec;
  return { ...run, metadata: { ...metadata, labels: otherLabels }, spec };
}

describe('pipelineRunFor', () => {
  it('makes the same run for the controller, start-build, the webhook and the git poll, except the cause fields', () => {
    // GIVEN the synthesized BuildConfig, its TriggerTemplate and its git-poll CronJob
    const app = fooApp();
    const bc = inCluster(app.one('BuildConfig', 'foo'));
    // WHEN each path makes a run for the same commit
    const controller = pipelineRunFor(bc, { type: 'ConfigChange', generation: 1 }, { naming: { number: 1 }, revision: COMMIT, pending: false });
    const manual = manualRun(bc as Parameters<typeof manualRun>[0], { commit: COMMIT });
    const webhook = fromTriggerTemplate(app.one('TriggerTemplate', 'foo'), { commit: COMMIT, ref: 'refs/heads/main', pusher: 'octocat', repository: 'https://github.com/example/foo', webhook: 'GitHub' });
    const poll = fromPollTemplate(app.one('CronJob', 'foo-git-poll'), COMMIT);
    // THEN the four agree on everything but the cause fields
    const expected = withoutCause(controller);
    expect(withoutCause(manual)).toEqual(expected);
    expect(withoutCause(webhook)).toEqual(expected);
    expect(withoutCause(poll)).toEqual(expected);
    // AND that common part takes every input from the BuildConfig's spec
    expect(expected.spec).toEqual({
      pipelineRef: { name: 'foo' },
      params: [
        { name: 'URL', value: 'https://github.com/example/foo.git' },
        { name: 'REVISION', value: COMMIT },
        { name: 'CONTEXT_DIR', value: 'app' },
      ],
      timeouts: { pipeline: '30m0s' },
      taskRunTemplate: { serviceAccountName: 'imagestreams-builder', podTemplate: { nodeSelector: { 'kubernetes.io/arch': 'amd64' }, automountServiceAccountToken: false } },
      workspaces: bc.spec.workspaces,
    });
    expect(expected.metadata.labels).toEqual({ 'imagestreams.dev/buildconfig': 'foo' });
    // AND the cause fields say who started each
    expect(controller.metadata).toMatchObject({ name: 'foo-1', labels: { 'imagestreams.dev/build-number': '1' }, annotations: { 'imagestreams.dev/cause': 'ConfigChange' } });
    expect(controller.spec.status).toBeUndefined();
    expect(manual.metadata).toMatchObject({ generateName: 'foo-manual-', annotations: { 'imagestreams.dev/cause': 'Manual', 'imagestreams.dev/commit': COMMIT } });
    expect(webhook.metadata).toMatchObject({ generateName: 'foo-webhook-', annotations: { 'imagestreams.dev/cause': 'Webhook', 'imagestreams.dev/commit': COMMIT, 'imagestreams.dev/pusher': 'octocat', 'imagestreams.dev/webhook-type': 'GitHub' } });
    expect(poll.metadata).toMatchObject({ name: `foo-poll-${COMMIT.slice(0, 12)}`, annotations: { 'imagestreams.dev/cause': 'GitPoll', 'imagestreams.dev/commit': COMMIT, 'imagestreams.dev/ref': 'refs/heads/main' } });
    for (const run of [manual, webhook, poll]) expect(run.spec.status).toBe('PipelineRunPending');
    // AND only runs of a BuildConfig read from the cluster (with a uid) are owned by it
    expect(controller.metadata.ownerReferences).toEqual([{ apiVersion: 'imagestreams.dev/v1alpha1', kind: 'BuildConfig', name: 'foo', uid: 'uid-foo', controller: true, blockOwnerDeletion: true }]);
    expect(manual.metadata.ownerReferences).toEqual(controller.metadata.ownerReferences);
    expect(webhook.metadata.ownerReferences).toBeUndefined();
  });

  it('takes the git URL, ref and context from the spec as it is now, not as it was synthesized', () => {
    // GIVEN the synthesized BuildConfig, edited in the cluster to another repository, branch and folder
    const bc = inCluster(fooApp().one('BuildConfig', 'foo'));
    const edited = { ...bc, spec: { ...bc.spec, source: { ...bc.spec.source, git: { uri: 'https://git.example.com/moved/foo.git', ref: 'release' }, contextDir: 'src' } } };
    // WHEN the controller starts a build
    const run = pipelineRunFor(edited, { type: 'ConfigChange', generation: 2 }, { naming: { number: 2 } });
    // THEN the build clones the new URL at the new ref, in the new folder
    expect(run.spec.params).toEqual([
      { name: 'URL', value: 'https://git.example.com/moved/foo.git' },
      { name: 'REVISION', value: 'release' },
      { name: 'CONTEXT_DIR', value: 'src' },
    ]);
  });

  it('builds a webhook\'s commit, pending, and sets BASE_IMAGE last when given', () => {
    const run = pipelineRunFor(fakeBuildConfig(), { type: 'GitHub', revision: 'abc123' }, { naming: { number: 4 }, baseImage: 'reg/b@sha256:1' });
    expect(run.metadata.name).toBe('app-4');
    expect(run.spec.status).toBe('PipelineRunPending');
    expect(run.spec.params).toEqual([
      { name: 'URL', value: 'https://git.example/app.git' }, { name: 'REVISION', value: 'abc123' }, { name: 'CONTEXT_DIR', value: '.' }, { name: 'BASE_IMAGE', value: 'reg/b@sha256:1' },
    ]);
    expect(run.metadata.annotations).toEqual({ 'imagestreams.dev/cause': 'GitHub', 'imagestreams.dev/commit': 'abc123' });
  });

  it('sets STAGE_IMAGES with every stage of the spec when given the stream-tag stages\' digests', () => {
    const strategy = {
      type: 'Docker' as const,
      dockerStrategy: {
        from: { kind: 'ImageStreamTag' as const, name: 'base:latest' },
        stages: [{ name: 'build', from: { kind: 'ImageStreamTag' as const, name: 'jdk17:latest' } }, { name: 'tools', from: { kind: 'DockerImage' as const, name: 'alpine:3.20' } }],
      },
    };
    const bc = fakeBuildConfig({ strategy, params: [{ name: 'STAGE_IMAGES', value: ['stale=x:1'] }] });
    const run = pipelineRunFor(bc, { type: 'ConfigChange', generation: 1 }, { naming: { number: 1 }, baseImage: 'reg/b@sha256:1', stageImages: { build: 'reg/jdk17@sha256:2' } });
    expect(run.spec.params?.filter((p) => p.name === 'STAGE_IMAGES')).toEqual([{ name: 'STAGE_IMAGES', value: ['build=reg/jdk17@sha256:2', 'tools=alpine:3.20'] }]);
    // without digests, the Pipeline's default (the fixed stages) applies
    expect(pipelineRunFor(bc, { type: 'ConfigChange', generation: 1 }, { naming: { number: 1 } }).spec.params?.map((p) => p.name)).not.toContain('STAGE_IMAGES');
  });

  it('passes an inline Dockerfile instead of a git source, and the spec\'s params never override the ones it sets', () => {
    const bc = fakeBuildConfig({ source: { type: 'Dockerfile', dockerfile: 'FROM x' }, params: [{ name: 'BASE_IMAGE', value: 'stale' }, { name: 'URL', value: 'stale' }, { name: 'A', value: ['1', '2'] }] });
    const run = pipelineRunFor(bc, { type: 'ConfigChange', generation: 1 }, { naming: { number: 1 }, baseImage: 'reg/b@sha256:1', pending: false });
    expect(run.spec.params).toEqual([
      { name: 'A', value: ['1', '2'] }, { name: 'DOCKERFILE_TEXT', value: 'FROM x' }, { name: 'CONTEXT_DIR', value: '.' }, { name: 'BASE_IMAGE', value: 'reg/b@sha256:1' },
    ]);
    expect(run.spec.status).toBeUndefined();
  });

  it('carries the URL, the inline Dockerfile and the context percent-encoded in % and $, REVISION as it is', () => {
    // GIVEN a BuildConfig whose values hold what Tekton and the kubelet would rewrite
    const bc = fakeBuildConfig({ source: { type: 'Dockerfile', dockerfile: 'FROM x\nRUN echo $(date) $$ 100%', contextDir: 'a $(b)' } });
    const git = fakeBuildConfig({ source: { type: 'Git', git: { uri: 'https://h/$(x)%.git', ref: 'main' } } });
    // WHEN a run is made THEN the values are encoded, and nothing else is
    const params = (b: BuildConfigLike) => Object.fromEntries((pipelineRunFor(b, { type: 'Manual' }, { naming: { number: 1 } }).spec.params ?? []).map((p) => [p.name, p.value]));
    expect(params(bc)).toEqual({ DOCKERFILE_TEXT: 'FROM x\nRUN echo %24(date) %24%24 100%25', CONTEXT_DIR: 'a %24(b)' });
    expect(params(git)).toMatchObject({ URL: 'https://h/%24(x)%25.git', REVISION: 'main' });
  });
});
