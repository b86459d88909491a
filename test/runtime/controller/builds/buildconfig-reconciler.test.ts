import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageAnnotations } from '../../../../lib/api/build-cause';
import { pipelineRunFor } from '../../../../lib/api/build-run';
import type { ImageStreamObject } from '../../../../lib/api/imagestream';
import type { KubeObject } from '../../../../lib/runtime/kube/types';
import { follow, startTriggerCluster, type RunningController, type TriggerCluster } from '../cluster';
import { eventually } from '../eventually';
import {
  buildConfigs, buildConfigSpec, createBuildConfig, failRun, param, pipelineRuns, runsOf, startRun, succeedRun, type BuildConfig,
} from './build-fixtures';
import { IMAGESTREAMS } from '../../../../lib/api/group';

type CoreEvent = KubeObject & { involvedObject: { name: string }; reason: string; type: string; message: string };

describe('BuildConfigReconciler', () => {
  let cluster: TriggerCluster;
  let controller: RunningController;
  beforeAll(async () => {
    cluster = await startTriggerCluster();
    controller = await cluster.startController({ builds: { debounceSeconds: 0 } });
  });
  afterAll(async () => cluster?.close());

  const kube = () => cluster.kube;
  const streams = () => cluster.kube.resource<ImageStreamObject & KubeObject>({ ...IMAGESTREAMS, namespace: cluster.namespace });
  const bcs = () => buildConfigs(cluster.kube);
  const ref = (stream: string, digest: string) => `registry.test/${cluster.namespace}/${stream}@${digest}`;
  const runNames = async (bc: string) => (await runsOf(kube(), bc)).map((r) => r.metadata.name);
  const runCount = (bc: string, n: number) => eventually(async () => {
    const runs = await runsOf(kube(), bc);
    expect(runs.map((r) => r.metadata.name)).toHaveLength(n);
    return runs;
  });
  const specStatus = async (name: string) => (await pipelineRuns(kube()).get(name)).spec.status;
  const eventsFor = async (name: string) =>
    (await kube().resource<CoreEvent>({ apiVersion: 'v1', resource: 'events', namespace: cluster.namespace }).list()).items.filter((e) => e.involvedObject.name === name);
  const outputStream = (name: string, extra: object = {}) =>
    cluster.createStream(name, { imageRepository: `registry.test/${cluster.namespace}/${name}`, tags: [{ name: 'latest' }], ...extra });

  /** A spec change the controller must answer with observedGeneration: everything before it has been reconciled. */
  async function settle(name: string): Promise<void> {
    // Retried on 409: the controller's status writes move the resourceVersion too.
    const updated = await eventually(async () => {
      const bc = await bcs().get(name);
      const params = [...(bc.spec.params ?? []).filter((p) => p.name !== 'SETTLE'), { name: 'SETTLE', value: String(Date.now()) }];
      return bcs().update({ ...bc, spec: { ...bc.spec, params } });
    });
    await eventually(async () => expect((await bcs().get(name)).status?.observedGeneration).toBe(updated.metadata.generation));
  }

  it('starts the first build FROM the base digest, with everything the BuildConfig says, and records it', async () => {
    // GIVEN a base with an image and a BuildConfig with ImageChange and ConfigChange triggers
    await cluster.createStream('first-base');
    const d1 = await cluster.pushImage('first-base', 'latest', 'first-1');
    await outputStream('first-out');
    const bc = await createBuildConfig(kube(), 'first', buildConfigSpec('first-base:latest', 'first-out:latest', {
      params: [{ name: 'EXTRA', value: 'x' }], timeout: '1h0m0s', podTemplate: { nodeSelector: { pool: 'builds' }, automountServiceAccountToken: false },
    }));
    // WHEN the controller sees it THEN exactly one run, first-1, with the digest as BASE_IMAGE
    const [run] = await runCount('first', 1);
    expect(run.metadata.name).toBe('first-1');
    expect(run.metadata.labels).toMatchObject({ 'imagestreams.dev/buildconfig': 'first', 'imagestreams.dev/build-number': '1' });
    expect(run.metadata.annotations).toMatchObject({
      'imagestreams.dev/cause': 'ImageChange', 'imagestreams.dev/cause-image': ref('first-base', d1), 'imagestreams.dev/cause-from': `${cluster.namespace}/first-base:latest`,
    });
    expect(run.metadata.ownerReferences).toEqual([{ apiVersion: 'imagestreams.dev/v1alpha1', kind: 'BuildConfig', name: 'first', uid: bc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    const { workspaces, ...spec } = run.spec;
    expect(workspaces?.map((w) => w.name)).toEqual(bc.spec.workspaces?.map((w) => w.name));
    expect(spec).toEqual({
      pipelineRef: { name: 'app' },
      params: [{ name: 'EXTRA', value: 'x' }, { name: 'URL', value: 'https://git.example/app.git' }, { name: 'REVISION', value: 'main' }, { name: 'CONTEXT_DIR', value: '.' }, { name: 'BASE_IMAGE', value: ref('first-base', d1) }],
      timeouts: { pipeline: '1h0m0s' },
      taskRunTemplate: { serviceAccountName: 'imagestreams-builder', podTemplate: { nodeSelector: { pool: 'builds' }, automountServiceAccountToken: false } },
    });
    // AND the status records the build and the image it was triggered by
    await eventually(async () => expect((await bcs().get('first')).status).toMatchObject({
      lastVersion: 1, observedGeneration: 1,
      imageChangeTriggers: [{ from: { kind: 'ImageStreamTag', name: 'first-base:latest' }, lastTriggeredImage: ref('first-base', d1) }],
    }));
    await settle('first');
    expect(await runNames('first')).toEqual(['first-1']);
  });

  it('ImageChange: a new digest starts one build with it; the same digest again starts none', async () => {
    // GIVEN a BuildConfig built once
    await cluster.createStream('ic-base');
    await cluster.pushImage('ic-base', 'latest', 'ic-1');
    await outputStream('ic-out');
    await createBuildConfig(kube(), 'ic', buildConfigSpec('ic-base:latest', 'ic-out:latest', { runPolicy: 'Parallel' }));
    await runCount('ic', 1);
    // WHEN the base gets a new digest
    const d2 = await cluster.pushImage('ic-base', 'latest', 'ic-2');
    // THEN build 2 runs FROM it
    const runs = await runCount('ic', 2);
    expect(param(runs[1], 'BASE_IMAGE')).toBe(ref('ic-base', d2));
    expect(runs[1].metadata.annotations?.['imagestreams.dev/cause-image']).toBe(ref('ic-base', d2));
    // WHEN the same digest is recorded again (a re-import)
    await cluster.pushImage('ic-base', 'latest', 'ic-2');
    await settle('ic');
    // THEN no build starts
    expect(await runNames('ic')).toEqual(['ic-1', 'ic-2']);
    expect((await bcs().get('ic')).status?.lastVersion).toBe(2);
  });

  it('follows alias tags to the image they point at', async () => {
    // GIVEN alias-s:latest, an alias of alias-t:latest, and a BuildConfig FROM the alias
    await cluster.createStream('alias-t');
    await cluster.createStream('alias-s', { tags: [{ name: 'latest', from: { kind: 'ImageStreamTag', name: 'alias-t:latest' } }] });
    await outputStream('alias-out');
    await createBuildConfig(kube(), 'aliased', buildConfigSpec('alias-s:latest', 'alias-out:latest'));
    // WHEN the target gets an image
    const d1 = await cluster.pushImage('alias-t', 'latest', 'alias-1');
    // THEN the build runs FROM the target's digest
    const [run] = await runCount('aliased', 1);
    expect(param(run, 'BASE_IMAGE')).toBe(ref('alias-t', d1));
  });

  it('Serial: one build at a time, in build-number order; the others wait pending', async () => {
    // GIVEN build 1 running
    await cluster.createStream('serial-base');
    await cluster.pushImage('serial-base', 'latest', 'serial-1');
    await outputStream('serial-out');
    await createBuildConfig(kube(), 'serial', buildConfigSpec('serial-base:latest', 'serial-out:latest'));
    await runCount('serial', 1);
    expect(await specStatus('serial-1')).toBeUndefined();
    await startRun(kube(), 'serial-1');
    // WHEN two more digests arrive
    await cluster.pushImage('serial-base', 'latest', 'serial-2');
    await runCount('serial', 2);
    await cluster.pushImage('serial-base', 'latest', 'serial-3');
    await runCount('serial', 3);
    // THEN builds 2 and 3 wait
    expect(await specStatus('serial-2')).toBe('PipelineRunPending');
    expect(await specStatus('serial-3')).toBe('PipelineRunPending');
    // WHEN build 1 finishes THEN build 2 (not 3) is admitted
    await succeedRun(kube(), 'serial-1', `sha256:${'1'.repeat(64)}`);
    await eventually(async () => expect(await specStatus('serial-2')).toBeUndefined());
    expect(await specStatus('serial-3')).toBe('PipelineRunPending');
    // WHEN build 2 fails THEN build 3 is admitted
    await failRun(kube(), 'serial-2', 'boom');
    await eventually(async () => expect(await specStatus('serial-3')).toBeUndefined());
  });

  it('SerialLatestOnly: superseded pending builds are cancelled, the newest runs next', async () => {
    await cluster.createStream('latest-base');
    await cluster.pushImage('latest-base', 'latest', 'latest-1');
    await outputStream('latest-out');
    await createBuildConfig(kube(), 'latest', buildConfigSpec('latest-base:latest', 'latest-out:latest', { runPolicy: 'SerialLatestOnly' }));
    await runCount('latest', 1);
    await cluster.pushImage('latest-base', 'latest', 'latest-2');
    await runCount('latest', 2);
    expect(await specStatus('latest-2')).toBe('PipelineRunPending');
    // WHEN a third digest arrives while 1 runs and 2 waits
    await cluster.pushImage('latest-base', 'latest', 'latest-3');
    await runCount('latest', 3);
    // THEN 2 is cancelled and 3 waits
    await eventually(async () => expect(await specStatus('latest-2')).toBe('Cancelled'));
    expect(await specStatus('latest-3')).toBe('PipelineRunPending');
    // WHEN 1 finishes THEN 3 runs
    await succeedRun(kube(), 'latest-1', `sha256:${'2'.repeat(64)}`);
    await eventually(async () => expect(await specStatus('latest-3')).toBeUndefined());
    expect(await specStatus('latest-2')).toBe('Cancelled');
  });

  it('Parallel: every build runs at once', async () => {
    await cluster.createStream('par-base');
    await cluster.pushImage('par-base', 'latest', 'par-1');
    await outputStream('par-out');
    await createBuildConfig(kube(), 'par', buildConfigSpec('par-base:latest', 'par-out:latest', { runPolicy: 'Parallel' }));
    await runCount('par', 1);
    await cluster.pushImage('par-base', 'latest', 'par-2');
    await runCount('par', 2);
    expect(await specStatus('par-1')).toBeUndefined();
    expect(await specStatus('par-2')).toBeUndefined();
  });

  it('turns a pending request from others (a webhook) into a build of its own, with its commit and the base digest, admitted by policy', async () => {
    // GIVEN build 1 running
    await cluster.createStream('hook-base');
    const hookBase = await cluster.pushImage('hook-base', 'latest', 'hook-1');
    await outputStream('hook-out');
    await createBuildConfig(kube(), 'hook', buildConfigSpec('hook-base:latest', 'hook-out:latest'));
    await runCount('hook', 1);
    // WHEN Tekton Triggers creates a request for a push: a pending run labelled with the BuildConfig, unnumbered
    await pipelineRuns(kube()).create({
      apiVersion: 'tekton.dev/v1', kind: 'PipelineRun',
      metadata: {
        name: 'hook-github-x1', labels: { 'imagestreams.dev/buildconfig': 'hook' },
        annotations: { 'imagestreams.dev/cause': 'Webhook', 'imagestreams.dev/commit': 'abc123', 'imagestreams.dev/pusher': 'octocat' },
      },
      spec: { pipelineRef: { name: 'p' }, params: [{ name: 'REVISION', value: 'abc123' }, { name: 'URL', value: 'https://evil.example/x.git' }], status: 'PipelineRunPending' },
    });
    // THEN build 2 is made from the BuildConfig: the request's commit, the base's digest, never the request's other params
    await eventually(async () => expect(await runNames('hook')).toEqual(['hook-1', 'hook-2']));
    const build2 = await pipelineRuns(kube()).get('hook-2');
    expect(build2.spec.params).toEqual([
      { name: 'URL', value: 'https://git.example/app.git' }, { name: 'REVISION', value: 'abc123' }, { name: 'CONTEXT_DIR', value: '.' }, { name: 'BASE_IMAGE', value: ref('hook-base', hookBase) },
    ]);
    expect(build2.metadata.annotations).toMatchObject({
      'imagestreams.dev/cause': 'Webhook', 'imagestreams.dev/commit': 'abc123', 'imagestreams.dev/pusher': 'octocat', 'imagestreams.dev/request': 'hook-github-x1',
      'imagestreams.dev/cause-image': ref('hook-base', hookBase),
    });
    // AND the request is consumed: it names its build, is owned by it, and no longer counts as a build
    const request = await pipelineRuns(kube()).get('hook-github-x1');
    expect(request.metadata.annotations?.['imagestreams.dev/build']).toBe('hook-2');
    expect(request.metadata.labels?.['imagestreams.dev/buildconfig']).toBeUndefined();
    expect(request.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'PipelineRun', name: 'hook-2', uid: build2.metadata.uid })]);
    await eventually(async () => expect((await bcs().get('hook')).status?.lastVersion).toBe(2));
    expect(await specStatus('hook-2')).toBe('PipelineRunPending');
    // WHEN build 1 finishes THEN build 2 is admitted, and the next build the controller starts is 3
    await succeedRun(kube(), 'hook-1', `sha256:${'3'.repeat(64)}`);
    await eventually(async () => expect(await specStatus('hook-2')).toBeUndefined());
    await cluster.pushImage('hook-base', 'latest', 'hook-2');
    await eventually(async () => expect(await runNames('hook')).toEqual(['hook-1', 'hook-2', 'hook-3']));
  });

  it('builds a webhook delivery once: the same signed push delivered again within the hour builds nothing', async () => {
    // GIVEN a BuildConfig that builds webhook pushes only
    await cluster.createStream('replay-base');
    await cluster.pushImage('replay-base', 'latest', 'replay-1');
    await outputStream('replay-out');
    await createBuildConfig(kube(), 'replay', buildConfigSpec('replay-base:latest', 'replay-out:latest', { runPolicy: 'Parallel', triggers: [] }));
    const commit = 'a'.repeat(40);
    const delivery = (name: string) => pipelineRuns(kube()).create({
      apiVersion: 'tekton.dev/v1', kind: 'PipelineRun',
      metadata: { name, labels: { 'imagestreams.dev/buildconfig': 'replay' }, annotations: { 'imagestreams.dev/cause': 'Webhook', 'imagestreams.dev/commit': commit, 'imagestreams.dev/webhook-type': 'GitHub' } },
      spec: { pipelineRef: { name: 'app' }, params: [{ name: 'REVISION', value: commit }], status: 'PipelineRunPending' },
    });
    // WHEN a push is delivered THEN it is built
    await delivery('replay-webhook-1');
    await eventually(async () => expect(await runNames('replay')).toEqual(['replay-1']));
    // WHEN the same delivery comes again (a replay: same body, same valid signature)
    await delivery('replay-webhook-2');
    // THEN nothing more is built, the request points at the build it repeats, and a Warning says so
    await eventually(async () => expect((await pipelineRuns(kube()).get('replay-webhook-2')).metadata.annotations?.['imagestreams.dev/build']).toBe('replay-1'));
    expect(await runNames('replay')).toEqual(['replay-1']);
    expect((await eventsFor('replay')).map((e) => e.reason)).toContain('WebhookReplayed');
  });

  it('refuses a request whose revision git would read as an option: nothing is built, a Warning says why', async () => {
    await cluster.createStream('opt-base');
    await cluster.pushImage('opt-base', 'latest', 'opt-1');
    await outputStream('opt-out');
    await createBuildConfig(kube(), 'opt', buildConfigSpec('opt-base:latest', 'opt-out:latest', { triggers: [] }));
    await pipelineRuns(kube()).create({
      apiVersion: 'tekton.dev/v1', kind: 'PipelineRun',
      metadata: { name: 'opt-manual-x', labels: { 'imagestreams.dev/buildconfig': 'opt' }, annotations: { 'imagestreams.dev/cause': 'Manual' } },
      spec: { pipelineRef: { name: 'p' }, params: [{ name: 'REVISION', value: '--upload-pack=touch /tmp/pwned' }], status: 'PipelineRunPending' },
    });
    await eventually(async () => expect((await pipelineRuns(kube()).list()).items.map((r) => r.metadata.name)).not.toContain('opt-manual-x'));
    expect(await runNames('opt')).toEqual([]);
    const events = await kube().resource({ apiVersion: 'v1', resource: 'events', namespace: cluster.namespace }).list();
    expect(events.items.map((e) => `${e.reason}: ${e.message}`)).toContain('InvalidBuildRequest: request opt-manual-x asks for revision "--upload-pack=touch /tmp/pwned", which is not a commit or a ref: deleted, nothing built');
  });

  it('acts only on runs it made: a foreign run named like the next build neither blocks it nor counts', async () => {
    // GIVEN someone who may create PipelineRuns made squat-1, labelled and numbered like build 1 of squat, and succeeded
    await cluster.createStream('squat-base');
    await cluster.pushImage('squat-base', 'latest', 'squat-1');
    await outputStream('squat-out');
    await pipelineRuns(kube()).create({
      apiVersion: 'tekton.dev/v1', kind: 'PipelineRun',
      metadata: { name: 'squat-1', labels: { 'imagestreams.dev/buildconfig': 'squat', 'imagestreams.dev/build-number': '1' } },
      spec: { pipelineRef: { name: 'app' } },
    });
    await succeedRun(kube(), 'squat-1', `sha256:${'6'.repeat(64)}`);
    // WHEN the BuildConfig appears
    await createBuildConfig(kube(), 'squat', buildConfigSpec('squat-base:latest', 'squat-out:latest'));
    // THEN its first build takes the next free name, the foreign run is reported and its digest never recorded
    await eventually(async () => expect((await pipelineRuns(kube()).get('squat-2')).metadata.ownerReferences?.[0]).toMatchObject({ kind: 'BuildConfig', name: 'squat' }));
    await eventually(async () => expect((await eventsFor('squat')).map((e) => e.reason)).toContain('ForeignRun'));
    expect((await streams().get('squat-out')).status?.tags?.find((t) => t.tag === 'latest')?.items ?? []).toEqual([]);
    await eventually(async () => expect((await bcs().get('squat')).status?.lastVersion).toBe(2));
  });

  it('debounce: a burst of base updates makes one build, with the newest digest', async () => {
    // GIVEN a BuildConfig with a 2 s window (its own annotation), built once
    await cluster.createStream('burst-base');
    await cluster.pushImage('burst-base', 'latest', 'burst-1');
    await outputStream('burst-out');
    await createBuildConfig(kube(), 'burst', buildConfigSpec('burst-base:latest', 'burst-out:latest', { runPolicy: 'Parallel' }), { 'imagestreams.dev/debounce-seconds': '2' });
    await runCount('burst', 1);
    // WHEN three digests arrive in quick succession
    await cluster.pushImage('burst-base', 'latest', 'burst-2');
    await cluster.pushImage('burst-base', 'latest', 'burst-3');
    const d4 = await cluster.pushImage('burst-base', 'latest', 'burst-4');
    // THEN one more build starts, FROM the newest
    const runs = await runCount('burst', 2);
    expect(param(runs[1], 'BASE_IMAGE')).toBe(ref('burst-base', d4));
    await settle('burst');
    expect(await runNames('burst')).toEqual(['burst-1', 'burst-2']);
  });

  it('ConfigChange: builds once on creation; with onSpecChange also when the generation moves', async () => {
    // GIVEN two BuildConfigs FROM a fixed image (no stream), one with onSpecChange
    const fixed = { strategy: { type: 'Docker' as const, dockerStrategy: { from: { kind: 'DockerImage' as const, name: 'docker.io/library/busybox:1' } } } };
    await outputStream('cc-out');
    await createBuildConfig(kube(), 'cc-once', buildConfigSpec('x:latest', 'cc-out:latest', { ...fixed, triggers: [{ type: 'ConfigChange', configChange: {} }] }));
    await createBuildConfig(kube(), 'cc-spec', buildConfigSpec('x:latest', 'cc-out:latest', { ...fixed, runPolicy: 'Parallel', triggers: [{ type: 'ConfigChange', configChange: { onSpecChange: true } }] }));
    // THEN each builds once, caused by ConfigChange at generation 1, without BASE_IMAGE
    const [once] = await runCount('cc-once', 1);
    expect(once.metadata.annotations).toMatchObject({ 'imagestreams.dev/cause': 'ConfigChange', 'imagestreams.dev/cause-generation': '1' });
    expect(param(once, 'BASE_IMAGE')).toBeUndefined();
    await runCount('cc-spec', 1);
    // WHEN both specs change
    await settle('cc-once');
    const bc = await bcs().get('cc-spec');
    await bcs().update({ ...bc, spec: { ...bc.spec, params: [{ name: 'FLAVOUR', value: 'b' }] } });
    // THEN only the onSpecChange one builds, for generation 2, with the new params
    const runs = await runCount('cc-spec', 2);
    expect(runs[1].metadata.annotations).toMatchObject({ 'imagestreams.dev/cause': 'ConfigChange', 'imagestreams.dev/cause-generation': '2' });
    expect(param(runs[1], 'FLAVOUR')).toBe('b');
    expect(await runNames('cc-once')).toEqual(['cc-once-1']);
    await eventually(async () => expect((await bcs().get('cc-spec')).status?.observedGeneration).toBe(2));
  });

  it('waits for the base to be imported before the first build', async () => {
    // GIVEN a BuildConfig whose base stream has no image yet
    await cluster.createStream('wait-base');
    await outputStream('wait-out');
    await createBuildConfig(kube(), 'wait', buildConfigSpec('wait-base:latest', 'wait-out:latest'));
    await settle('wait');
    expect(await runNames('wait')).toEqual([]);
    // AND its status says what it waits for
    const waiting = (await bcs().get('wait')).status?.conditions?.find((c) => c.type === 'Buildable');
    expect(waiting).toMatchObject({ status: 'False', reason: 'WaitingForImage', message: `${cluster.namespace}/wait-base:latest has no image yet` });
    // WHEN it is imported THEN one build starts FROM it, and nothing blocks builds any more
    const d1 = await cluster.pushImage('wait-base', 'latest', 'wait-1');
    const [run] = await runCount('wait', 1);
    expect(param(run, 'BASE_IMAGE')).toBe(ref('wait-base', d1));
    await eventually(async () => expect((await bcs().get('wait')).status?.conditions?.find((c) => c.type === 'Buildable')).toMatchObject({ status: 'True', reason: 'Unblocked' }));
  });

  it('completion: the digest becomes the output tag\'s newest item, once, even across a restart', async () => {
    // GIVEN build 1 of 'done'
    await cluster.createStream('done-base');
    await cluster.pushImage('done-base', 'latest', 'done-1');
    await outputStream('done-out');
    await createBuildConfig(kube(), 'done', buildConfigSpec('done-base:latest', 'done-out:latest'));
    await runCount('done', 1);
    // WHEN Tekton reports success with IMAGE_DIGEST
    const digest = `sha256:${'a'.repeat(64)}`;
    await succeedRun(kube(), 'done-1', digest);
    // THEN done-out:latest points at the pushed repository at that digest
    await eventually(async () => {
      const items = (await streams().get('done-out')).status?.tags?.find((t) => t.tag === 'latest')?.items ?? [];
      expect(items.map((i) => i.dockerImageReference)).toEqual([`registry.test/${cluster.namespace}/done-out@${digest}`]);
    });
    await eventually(async () => expect((await pipelineRuns(kube()).get('done-1')).metadata.annotations?.['imagestreams.dev/completion']).toBe('OutputRecorded'));
    await eventually(async () => expect((await bcs().get('done')).status?.conditions).toEqual([
      expect.objectContaining({ type: 'BuildSucceeded', status: 'True', reason: 'Succeeded', message: 'build done-1 succeeded' }),
    ]));
    // WHEN the controller restarts
    await controller.stop();
    controller = await cluster.startController({ builds: { debounceSeconds: 0 } });
    await settle('done');
    // THEN the item is not recorded twice, and nothing is rebuilt
    expect((await streams().get('done-out')).status?.tags?.find((t) => t.tag === 'latest')?.items).toHaveLength(1);
    expect(await runNames('done')).toEqual(['done-1']);
  });

  it('a paused output tag is not moved by a build: an Event says so', async () => {
    await cluster.createStream('paused-base');
    await cluster.pushImage('paused-base', 'latest', 'paused-1');
    await outputStream('paused-out', { tags: [{ name: 'latest', importPolicy: { paused: true } }] });
    await createBuildConfig(kube(), 'paused', buildConfigSpec('paused-base:latest', 'paused-out:latest'));
    await runCount('paused', 1);
    await succeedRun(kube(), 'paused-1', `sha256:${'b'.repeat(64)}`);
    await eventually(async () => expect((await eventsFor('paused')).map((e) => e.reason)).toContain('OutputTagPaused'));
    expect((await streams().get('paused-out')).status?.tags ?? []).toEqual([]);
  });

  it('failure: a BuildSucceeded False condition with Tekton\'s reason and message, and a Warning Event', async () => {
    await cluster.createStream('fail-base');
    await cluster.pushImage('fail-base', 'latest', 'fail-1');
    await outputStream('fail-out');
    await createBuildConfig(kube(), 'fail', buildConfigSpec('fail-base:latest', 'fail-out:latest'));
    await runCount('fail', 1);
    await failRun(kube(), 'fail-1', '"build" exited with code 1');
    await eventually(async () => expect((await bcs().get('fail')).status?.conditions).toEqual([
      expect.objectContaining({ type: 'BuildSucceeded', status: 'False', reason: 'Failed', message: 'build fail-1 failed: "build" exited with code 1' }),
    ]));
    const events = await eventually(async () => {
      const found = (await eventsFor('fail')).filter((e) => e.reason === 'BuildFailed');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(events[0]).toMatchObject({ type: 'Warning', message: 'build fail-1 failed: Failed: "build" exited with code 1' });
  });

  it('prunes finished runs beyond the successful and failed history limits', async () => {
    // GIVEN limits of 1 and 1, and four builds running in parallel
    await cluster.createStream('prune-base');
    await outputStream('prune-out');
    await createBuildConfig(kube(), 'prune', buildConfigSpec('prune-base:latest', 'prune-out:latest', { runPolicy: 'Parallel', successfulBuildsHistoryLimit: 1, failedBuildsHistoryLimit: 1 }));
    for (let i = 1; i <= 4; i++) {
      await cluster.pushImage('prune-base', 'latest', `prune-${i}`);
      await runCount('prune', i);
    }
    // WHEN 1 and 2 succeed and 3 and 4 fail
    await succeedRun(kube(), 'prune-1', `sha256:${'c'.repeat(64)}`);
    await succeedRun(kube(), 'prune-2', `sha256:${'d'.repeat(64)}`);
    await failRun(kube(), 'prune-3', 'x');
    await failRun(kube(), 'prune-4', 'y');
    // THEN the newest of each kind is kept
    await eventually(async () => expect(await runNames('prune')).toEqual(['prune-2', 'prune-4']));
  });

  it('restart: a run created just before a crash (status not written) is adopted, not duplicated; changes made while down build once', async () => {
    // GIVEN build 1, then the controller stops
    await cluster.createStream('crash-base');
    await cluster.pushImage('crash-base', 'latest', 'crash-1');
    await outputStream('crash-out');
    await createBuildConfig(kube(), 'crash', buildConfigSpec('crash-base:latest', 'crash-out:latest', { runPolicy: 'Parallel' }));
    await runCount('crash', 1);
    await eventually(async () => expect((await bcs().get('crash')).status?.lastVersion).toBe(1));
    await controller.stop();
    // AND a new digest whose build 2 was created, but the crash came before the status write
    const d2 = await cluster.pushImage('crash-base', 'latest', 'crash-2');
    const bc = await bcs().get('crash') as BuildConfig;
    const run2 = pipelineRunFor(bc, { type: 'ImageChange', from: { kind: 'ImageStreamTag', name: 'crash-base:latest' }, image: ref('crash-base', d2) }, { naming: { number: 2 }, baseImage: ref('crash-base', d2), pending: false });
    Object.assign(run2.metadata.annotations!, imageAnnotations(`${cluster.namespace}/crash-base:latest`, ref('crash-base', d2)));
    await pipelineRuns(kube()).create(run2);
    // WHEN the controller starts again
    controller = await cluster.startController({ builds: { debounceSeconds: 0 } });
    // THEN the status catches up with build 2, and no build 3 starts for the same digest
    await eventually(async () => expect((await bcs().get('crash')).status).toMatchObject({
      lastVersion: 2, imageChangeTriggers: [expect.objectContaining({ lastTriggeredImage: ref('crash-base', d2) })],
    }));
    await settle('crash');
    expect(await runNames('crash')).toEqual(['crash-1', 'crash-2']);
    // WHEN it stops, two digests arrive while it is down, and it starts again
    await controller.stop();
    await cluster.pushImage('crash-base', 'latest', 'crash-3');
    const d4 = await cluster.pushImage('crash-base', 'latest', 'crash-4');
    controller = await cluster.startController({ builds: { debounceSeconds: 0 } });
    // THEN exactly one build starts, FROM the newest
    const runs = await runCount('crash', 3);
    expect(param(runs[2], 'BASE_IMAGE')).toBe(ref('crash-base', d4));
    await settle('crash');
    expect(await runNames('crash')).toEqual(['crash-1', 'crash-2', 'crash-3']);
  });

  it('a chain: base → app build → Deployment and the next build', async () => {
    // GIVEN app built FROM chain-base, a Deployment following app:latest, and next built FROM app:latest
    await cluster.createStream('chain-base');
    await outputStream('chain-app');
    await outputStream('chain-next');
    await createBuildConfig(kube(), 'chain-app', buildConfigSpec('chain-base:latest', 'chain-app:latest'));
    await createBuildConfig(kube(), 'chain-next', buildConfigSpec('chain-app:latest', 'chain-next:latest'));
    await cluster.workloads('apps/v1', 'deployments').apply(cluster.workload('Deployment', 'chain-web', [{ name: 'web', image: 'chain-app:latest' }], [follow('chain-app:latest', 'web')]), { fieldManager: 'gitops' });
    // WHEN the base is imported and the app build succeeds
    await cluster.pushImage('chain-base', 'latest', 'chain-1');
    await runCount('chain-app', 1);
    const built = `sha256:${'e'.repeat(64)}`;
    await succeedRun(kube(), 'chain-app-1', built);
    // THEN the Deployment runs the built digest, and the next build runs FROM it
    await eventually(async () => {
      const live = await cluster.workloads('apps/v1', 'deployments').get('chain-web') as KubeObject & { spec: { template: { spec: { containers: { image: string }[] } } } };
      expect(live.spec.template.spec.containers[0].image).toBe(`registry.test/${cluster.namespace}/chain-app@${built}`);
    });
    const [next] = await runCount('chain-next', 1);
    expect(param(next, 'BASE_IMAGE')).toBe(`registry.test/${cluster.namespace}/chain-app@${built}`);
  });
});
