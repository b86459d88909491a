import { afterEach, describe, expect, it } from 'vitest';
import { BuildTrigger } from '../../../../constructs/buildconfig';
import { PIPELINERUNS } from '../../../../lib/api/group';
import type { KubeObject } from '../../../../lib/runtime/kube/types';
import { startTriggerCluster, type TriggerCluster } from '../../../runtime/controller/cluster';
import { eventually } from '../../../runtime/controller/eventually';
import { fooBuild, one, seedChart, synth, type Manifest } from './fixture';
import { resolveBinding } from './payload-filter';
import { githubPush, SHA } from './samples';

// The TriggerTemplate's PipelineRun, made as the EventListener would make it from a GitHub push,
// handed to the real BuildConfig reconciler on the real API server.

type Run = KubeObject & { spec: { status?: string; params?: { name: string; value: string }[] } };
let cluster: TriggerCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

/** foo with only a GitHub webhook, its BuildConfig and the run template's JSON. */
function webhookOnlyFoo(namespace: string) {
  const { chart, foo } = seedChart(namespace);
  fooBuild(chart, foo, { triggers: [BuildTrigger.webhook({ type: 'GitHub', secret: 'foo-github-webhook' })] });
  const objects = synth(chart);
  const params = one(objects, 'TriggerBinding', 'foo-github').spec.params as { name: string; value: string }[];
  return { buildConfig: one(objects, 'BuildConfig'), template: one(objects, 'TriggerTemplate', 'foo'), params };
}

/** What Triggers does: resolve the binding on the payload, substitute $(tt.params.x) in the template, give it a name. */
function instantiate(template: Manifest, params: { name: string; value: string }[], body: object, suffix: string): Run {
  const values = Object.fromEntries(params.map((p) => [p.name, resolveBinding(p.value, body)]));
  const text = JSON.stringify(template.spec.resourcetemplates[0]).replace(/\$\(tt\.params\.([a-z]+)\)/g, (_, name: string) => values[name] ?? '');
  const run = JSON.parse(text) as Run & { metadata: { generateName?: string } };
  // Named here (kube-apiserver would generate the suffix) so that the test can find it.
  return { ...run, metadata: { ...run.metadata, name: `${run.metadata.generateName}${suffix}`, generateName: undefined } } as Run;
}

describe('a webhook run under the BuildConfig controller', () => {
  it('becomes a build of the controller\'s, admitted by run policy; a second push waits behind it (Serial)', async () => {
    // GIVEN foo in the real API server, and the controller with its BuildConfig reconciler
    cluster = await startTriggerCluster('webhook');
    const { buildConfig, template, params } = webhookOnlyFoo(cluster.namespace);
    await cluster.apply([buildConfig as unknown as KubeObject]);
    const runs = cluster.resource<Run>(PIPELINERUNS);
    await cluster.startController({ builds: { debounceSeconds: 0 } });

    // WHEN GitHub reports a push to main
    await runs.create(instantiate(template, params, githubPush(), 'abcde'));
    // THEN the controller makes build 1 from the request and admits it (spec.status removed); it builds the pushed commit
    const first = await eventually(async () => {
      const run = await runs.get('foo-1');
      expect(run.metadata.labels).toMatchObject({ 'imagestreams.dev/buildconfig': 'foo', 'imagestreams.dev/build-number': '1' });
      expect(run.spec.status).toBeUndefined();
      return run;
    });
    expect((await runs.get('foo-webhook-abcde')).metadata.annotations?.['imagestreams.dev/build']).toBe('foo-1');
    expect(first.spec.params).toEqual([{ name: 'URL', value: 'https://github.com/example/foo.git' }, { name: 'REVISION', value: SHA }, { name: 'CONTEXT_DIR', value: '.' }]);
    expect(first.metadata.annotations).toMatchObject({ 'imagestreams.dev/cause': 'Webhook', 'imagestreams.dev/commit': SHA, 'imagestreams.dev/pusher': 'octocat', 'imagestreams.dev/repository': 'https://github.com/example/foo.git' });

    // WHEN a second push arrives while build 1 runs
    await runs.create(instantiate(template, params, { ...githubPush(), after: 'f'.repeat(40) }, 'fghij'));
    // THEN it becomes build 2 and stays pending (Serial: one at a time)
    const second = await eventually(async () => {
      const run = await runs.get('foo-2');
      expect(run.metadata.annotations?.['imagestreams.dev/request']).toBe('foo-webhook-fghij');
      return run;
    });
    expect(second.spec.status).toBe('PipelineRunPending');
    // AND the BuildConfig counts both
    const buildConfigs = cluster.buildConfigs();
    await eventually(async () => expect((await buildConfigs.get('foo')).status?.lastVersion).toBe(2));
  });
});
