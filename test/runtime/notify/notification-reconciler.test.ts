import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GROUP_VERSION, NOTIFIERS } from '../../../lib/api/group';
import type { NotifierSpec } from '../../../lib/api/notifier';
import type { KubeObject } from '../../../lib/runtime/kube/types';
import { startHttpRecorder, type HttpRecorder } from '../../support/http-recorder';
import { follow, startTriggerCluster, type TriggerCluster } from '../controller/cluster';
import { eventually } from '../controller/eventually';

// Notifications from the controller on the real API server, to a local HTTP server that records what
// arrives: imports, builds (runs written as Tekton would), rollouts (the controller's own), retries.
describe('NotificationReconciler', () => {
  let cluster: TriggerCluster;
  let hooks: HttpRecorder;
  let other: string;
  beforeAll(async () => {
    // /flaky fails twice with 503 then takes it; /gone refuses with 410
    hooks = await startHttpRecorder((path, nth) => (path === '/flaky' && nth < 2 ? 503 : path === '/gone' ? 410 : 200));
    cluster = await startTriggerCluster('notify');
    other = await cluster.newNamespace('notify-other');
    await cluster.startController({ namespaces: [cluster.namespace, other], notifications: { systemNamespace: other } });
  });
  afterAll(async () => {
    await cluster?.close();
    await hooks?.close();
  });
  beforeEach(() => void hooks.requests.splice(0));

  const secret = (name: string, address: string, namespace = cluster.namespace, token?: string) => cluster.kube.resource({ apiVersion: 'v1', resource: 'secrets', namespace }).create({
    apiVersion: 'v1', kind: 'Secret', metadata: { name },
    data: { address: Buffer.from(address).toString('base64'), ...(token ? { token: Buffer.from(token).toString('base64') } : {}) },
  });
  const notifier = async (name: string, spec: Omit<NotifierSpec, 'secretRef'>, path: string, namespace = cluster.namespace, token?: string) => {
    await secret(`${name}-url`, `${hooks.url}${path}`, namespace, token);
    await cluster.resource(NOTIFIERS, namespace).create({ apiVersion: GROUP_VERSION, kind: 'Notifier', metadata: { name }, spec: { ...spec, secretRef: { name: `${name}-url` } } } as KubeObject);
  };
  const importedStream = (name: string) => cluster.createStream(name, { tags: [{ name: 'latest', from: { kind: 'DockerImage', name: `quay.io/team/${name}:latest` } }] });

  it('sends a new imported image to a generic webhook, a Slack webhook and a CloudEvents sink, each with its token', async () => {
    // GIVEN three notifiers in the namespace, the webhook's Secret with a token
    await notifier('json', { type: 'Webhook', events: ['ImageImported'] }, '/json', undefined, 'webhook-token-123');
    await notifier('slack', { type: 'Slack', events: ['ImageImported'] }, '/slack');
    await notifier('ce', { type: 'CloudEvents', events: ['ImageImported'], sources: [{ kind: 'ImageStream', name: 'jdk' }] }, '/ce');
    await importedStream('jdk');
    await importedStream('unrelated');
    await new Promise((resolve) => setTimeout(resolve, 300)); // the caches have the notifiers
    // WHEN jdk:latest gets an image (as the importer records it)
    const image = await cluster.pushImage('jdk', 'latest', 'jdk-1');
    // THEN each receiver gets it in its own format
    await eventually(() => expect(hooks.json('/json')).toHaveLength(1));
    expect(hooks.json('/json')[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/), type: 'ImageImported', namespace: cluster.namespace, source: { kind: 'ImageStream', name: 'jdk' }, time: expect.any(String),
      message: `${cluster.namespace}/jdk:latest now points at ${image}`,
      data: { stream: 'jdk', tag: 'latest', image, dockerImageReference: `registry.test/${cluster.namespace}/jdk@${image}`, from: 'quay.io/team/jdk:latest' },
    });
    expect(hooks.requests.find((r) => r.path === '/json')!.headers.authorization).toBe('Bearer webhook-token-123');
    await eventually(() => expect(hooks.json('/slack')).toHaveLength(1));
    expect(hooks.json('/slack')[0]).toMatchObject({ text: `:package: *ImageImported* ${cluster.namespace}/jdk:latest now points at ${image}`, blocks: [expect.objectContaining({ type: 'section' }), expect.objectContaining({ type: 'context' })] });
    await eventually(() => expect(hooks.json('/ce')).toHaveLength(1));
    expect(hooks.requests.find((r) => r.path === '/ce')!.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
    expect(hooks.json('/ce')[0]).toMatchObject({
      specversion: '1.0', type: 'dev.imagestreams.image.imported', source: `/apis/imagestreams.dev/v1alpha1/namespaces/${cluster.namespace}/imagestreams/jdk`, subject: 'jdk',
      datacontenttype: 'application/json', data: { image, tag: 'latest' },
    });
    // WHEN the other stream moves THEN only the notifiers without sources hear of it
    await cluster.pushImage('unrelated', 'latest', 'u-1');
    await eventually(() => expect(hooks.json('/json')).toHaveLength(2));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hooks.json('/ce')).toHaveLength(1);
  });

  it('tells of a build starting, succeeding and failing, from its runs as Tekton writes them', async () => {
    // GIVEN a notifier of build events
    await notifier('builds', { type: 'Webhook', events: ['BuildStarted', 'BuildSucceeded', 'BuildFailed'] }, '/builds');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const runs = cluster.pipelineRuns();
    const run = (name: string, n: number) => runs.create({
      apiVersion: 'tekton.dev/v1', kind: 'PipelineRun',
      metadata: { name, labels: { 'imagestreams.dev/buildconfig': 'app', 'imagestreams.dev/build-number': String(n) }, annotations: { 'imagestreams.dev/commit': 'a'.repeat(40) } },
      spec: { pipelineRef: { name: 'app' }, status: 'PipelineRunPending' },
    } as never);
    const finish = async (name: string, status: 'True' | 'False', results: { name: string; value: string }[] = []) => {
      const fresh = await runs.get(name);
      await runs.updateStatus({ ...fresh, status: { startTime: new Date().toISOString(), conditions: [{ type: 'Succeeded', status, lastTransitionTime: new Date().toISOString(), reason: status === 'True' ? 'Succeeded' : 'Failed', message: status === 'True' ? 'Tasks Completed: 2' : 'Tasks Completed: 1 (Failed: 1)' }], results } } as never);
    };
    // WHEN build 1 is admitted, then succeeds with its digest, and build 2 is admitted and fails
    await run('app-1', 1);
    await runs.mergePatch('app-1', { spec: { status: null } });
    const digest = `sha256:${'b'.repeat(64)}`;
    await finish('app-1', 'True', [{ name: 'IMAGE_DIGEST', value: `${digest}\n` }]);
    await run('app-2', 2);
    await runs.mergePatch('app-2', { spec: { status: null } });
    await finish('app-2', 'False');
    // THEN the webhook hears of each, in order
    await eventually(() => expect(hooks.json('/builds').map((e: any) => e.type)).toEqual(['BuildStarted', 'BuildSucceeded', 'BuildStarted', 'BuildFailed']));
    const [, succeeded, , failed] = hooks.json('/builds') as any[];
    expect(succeeded).toMatchObject({ source: { kind: 'BuildConfig', name: 'app' }, message: `build ${cluster.namespace}/app-1 succeeded: ${digest}`, data: { buildConfig: 'app', build: 1, run: 'app-1', image: digest, commit: 'a'.repeat(40) } });
    expect(failed).toMatchObject({ message: `build ${cluster.namespace}/app-2 failed (Failed): Tasks Completed: 1 (Failed: 1)`, data: { reason: 'Failed' } });
  });

  it('tells of a rollout when the controller sets a workload to a new image', async () => {
    await notifier('rollouts', { type: 'Webhook', events: ['RolledOut'] }, '/rollouts');
    await cluster.createStream('web');
    await cluster.workloads('apps/v1', 'deployments').apply(cluster.workload('Deployment', 'site', [{ name: 'web', image: 'web:latest' }], [follow('web:latest', 'web')]), { fieldManager: 'gitops' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // WHEN the tag it follows moves
    const image = await cluster.pushImage('web', 'latest', 'site-1');
    // THEN the rollout is told of
    await eventually(() => expect(hooks.json('/rollouts')).toHaveLength(1));
    expect(hooks.json('/rollouts')[0]).toMatchObject({
      type: 'RolledOut', source: { kind: 'ImageStream', name: 'web' },
      message: `Deployment ${cluster.namespace}/site: container 'web' rolls out registry.test/${cluster.namespace}/web@${image} (${cluster.namespace}/web:latest)`,
      data: { workloadKind: 'Deployment', workload: 'site', container: 'web', image: `registry.test/${cluster.namespace}/web@${image}` },
    });
  });

  it('retries a delivery the receiver could not take (503), and gives up at once on a refusal (410) with a Warning Event', async () => {
    await notifier('flaky', { type: 'Webhook', events: ['ImageImported'], sources: [{ kind: 'ImageStream', name: 'retry' }] }, '/flaky');
    await notifier('gone', { type: 'Webhook', events: ['ImageImported'], sources: [{ kind: 'ImageStream', name: 'retry' }] }, '/gone');
    await importedStream('retry');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await cluster.pushImage('retry', 'latest', 'retry-1');
    // THEN three tries reach /flaky, the third taken; /gone is tried once
    await eventually(() => expect(hooks.requests.filter((r) => r.path === '/flaky').map((r) => r.status)).toEqual([503, 503, 200]));
    expect(hooks.requests.filter((r) => r.path === '/gone').map((r) => r.status)).toEqual([410]);
    const events = async () => (await cluster.kube.resource<KubeObject & { reason: string; message: string; involvedObject: { name: string } }>({ apiVersion: 'v1', resource: 'events', namespace: cluster.namespace }).list()).items;
    await eventually(async () => expect((await events()).filter((e) => e.reason === 'NotificationFailed').map((e) => [e.involvedObject.name, e.message])).toEqual([
      ['gone', expect.stringMatching(/^ImageImported \(.*retry:latest now points at sha256:.*\) was not delivered: the receiver answered 410$/)],
    ]));
  });

  it('keeps tenants apart: a notifier hears only its namespace, unless it is system-wide in the system namespace', async () => {
    // GIVEN a notifier in the other namespace asking for allNamespaces (it is the system namespace here), and none in the test's
    await notifier('everything', { type: 'Webhook', events: ['ImageImported'], allNamespaces: true }, '/system', other);
    await notifier('mine', { type: 'Webhook', events: ['ImageImported'] }, '/other', other);
    await importedStream('tenant');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await cluster.pushImage('tenant', 'latest', 'tenant-1');
    // THEN the system-wide one hears of the test namespace's import, the other namespace's own doesn't
    await eventually(() => expect(hooks.json('/system').map((e: any) => e.source.name)).toContain('tenant'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hooks.json('/other')).toEqual([]);
  });
});
