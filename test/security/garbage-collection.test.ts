/**
 * Garbage collection on the real API server: a BuildConfig's PipelineRuns are owned by it, so that
 * kube-controller-manager's garbage collector deletes them with it — its builds (made by
 * `pipelineRunFor` with its uid, as start-build and the controller make them) and, through the build
 * that consumed it, a request the git poller made (the real controller, with its own ServiceAccount,
 * turns it into a build and hands it to that build) — and nothing of another BuildConfig.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy, ImageStream } from '../../constructs';
import { pipelineRunFor, type BuildConfigLike } from '../../lib/api/build-run';
import { testKube, type BuildConfigResource, type TestKube } from '../support/kube';
import { synthApp, TEST_REGISTRY, type SynthesizedApp } from '../support/synth-app';
import { controllerPod, eventually, memoryLog, startController, type RunningController } from './controller-process';
import { installApp } from './install-app';

let t: TestKube;
let app: SynthesizedApp;
let controller: RunningController;

beforeAll(async () => {
  t = await testKube('sec-gc');
  const system = await t.newNamespace('sec-gc-system');
  app = synthApp(({ chart }) => {
    const c = chart(t.namespace);
    const out = new ImageStream(c, 'out');
    for (const name of ['foo', 'bar']) {
      new BuildConfig(c, name, {
        source: BuildSource.git({ uri: `https://git.example.com/team/${name}.git`, ref: 'main' }),
        strategy: BuildStrategy.dockerfile(),
        output: BuildOutput.imageStreamTag(out.tag(name)),
        triggers: [],
      });
    }
  }, { namespace: system, registry: TEST_REGISTRY() });
  await installApp(t, app);
  controller = await startController(t.cluster, controllerPod(app), { identity: 'gc', log: memoryLog() });
}, 120_000);

afterAll(async () => {
  await controller?.stop();
  t?.close();
});

const runs = () => t.pipelineRuns();
const names = async () => (await runs().list()).items.map((r) => r.metadata.name!).sort();

describe('garbage collection of builds', () => {
  it('deleting a BuildConfig deletes its PipelineRuns, requests included, and no other', async () => {
    // GIVEN foo's build 1 and bar's build 1, made by pipelineRunFor from the BuildConfigs as they are in the cluster
    const foo = await t.buildConfigs().get('foo');
    const bar = await t.buildConfigs().get('bar');
    const built = (bc: BuildConfigResource) => pipelineRunFor(bc as BuildConfigLike, { type: 'Manual', user: 'alice' }, { naming: { number: 1 } });
    await runs().create(built(foo));
    await runs().create(built(bar));
    // AND a request from foo's git poller (made from the BuildConfig as synthesized: no uid, no owner)
    const request = pipelineRunFor(app.one('BuildConfig', 'foo') as unknown as BuildConfigLike, { type: 'GitPoll', revision: 'c0ffee' }, { naming: { name: 'foo-poll-c0ffee' } });
    expect(request.metadata.ownerReferences).toBeUndefined();
    await runs().create(request);
    // WHEN the controller has turned the request into build 2, which now owns it
    await eventually(async () => expect((await runs().get('foo-poll-c0ffee')).metadata.ownerReferences?.map((o) => `${o.kind}/${o.name}`)).toEqual(['PipelineRun/foo-2']), 30_000);
    const owners = async (name: string) => (await runs().get(name)).metadata.ownerReferences;
    for (const name of ['foo-1', 'foo-2']) {
      expect(await owners(name)).toEqual([{ apiVersion: 'imagestreams.dev/v1alpha1', kind: 'BuildConfig', name: 'foo', uid: foo.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
    expect(await names()).toEqual(['bar-1', 'foo-1', 'foo-2', 'foo-poll-c0ffee']);
    // AND foo is deleted
    await t.buildConfigs().delete('foo');
    // THEN the garbage collector deletes its builds, and the request with the build that owns it; bar's build stays
    await eventually(async () => expect(await names()).toEqual(['bar-1']), 90_000);
    expect((await t.buildConfigs().get('bar')).metadata.uid).toBe(bar.metadata.uid);
  }, 150_000);
});

