import { ApiObject, App, Chart, Cron, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { beforeEach, describe, expect, it } from 'vitest';
import { ImageStream, ImageStreamTag, System } from '../../../constructs';

type Obj = { kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> }; spec?: any };
interface Trigger { from: { kind: string; name: string; namespace?: string }; fieldPath: string; paused: boolean }

let app: App;
let chart: Chart;
let stream: ImageStream;
beforeEach(() => {
  app = Testing.app();
  chart = new Chart(app, 'apps', { namespace: 'team' });
  stream = new ImageStream(chart, 'foo');
  stream.importTag('latest', { from: 'nginx:1.27', scheduled: false });
});

/** The parsed `imagestreams.dev/triggers` annotation of the object of `kind` in `c`. */
function triggersOf(kind: string, c: Chart = chart): Trigger[] {
  const object = (Testing.synth(c) as Obj[]).find((o) => o.kind === kind);
  const text = object?.metadata.annotations?.['imagestreams.dev/triggers'];
  if (text === undefined) throw new Error(`no ${kind} with the triggers annotation`);
  return JSON.parse(text) as Trigger[];
}

const fooLatest = { kind: 'ImageStreamTag', name: 'foo:latest', namespace: 'team' };
const TEMPLATE = 'spec.template.spec';
const CRON_TEMPLATE = 'spec.jobTemplate.spec.template.spec';

function plainWorkload(kind: string, podSpec: object, scope: Chart = chart, id = 'web'): ApiObject {
  const apiVersion = kind === 'CronJob' ? 'batch/v1' : 'apps/v1';
  const template = { metadata: { labels: { app: 'web' } }, spec: podSpec };
  const spec = kind === 'CronJob' ? { schedule: '0 * * * *', jobTemplate: { spec: { template } } } : { selector: { matchLabels: { app: 'web' } }, template };
  return new ApiObject(scope, id, { apiVersion, kind, metadata: {}, spec });
}

describe('deployTo on plain ApiObjects', () => {
  it.each([
    ['Deployment', TEMPLATE],
    ['StatefulSet', TEMPLATE],
    ['DaemonSet', TEMPLATE],
    ['CronJob', CRON_TEMPLATE],
  ])('writes the trigger of a %s at its pod spec path, and keeps the image written in the app', (kind, podSpecPath) => {
    // GIVEN
    const workload = plainWorkload(kind, { containers: [{ name: 'sidecar', image: 'busybox:1' }, { name: 'web', image: 'nginx:1.27' }] });
    // WHEN
    stream.tag('latest').deployTo(workload, { container: 'web' });
    // THEN
    expect(triggersOf(kind)).toEqual([{ from: fooLatest, fieldPath: `${podSpecPath}.containers[?(@.name=="web")].image`, paused: false }]);
    const object = (Testing.synth(chart) as Obj[]).find((o) => o.kind === kind)!;
    const pod = kind === 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec;
    expect(pod.containers[1].image).toBe('nginx:1.27');
  });

  it('writes the raw annotation in OpenShift\'s format, byte for byte', () => {
    stream.tag('latest').deployTo(plainWorkload('Deployment', { containers: [{ name: 'web', image: 'nginx:1.27' }] }), { container: 'web' });
    const deployment = (Testing.synth(chart) as Obj[]).find((o) => o.kind === 'Deployment')!;
    expect(deployment.metadata.annotations).toEqual({
      'imagestreams.dev/triggers': '[{"from":{"kind":"ImageStreamTag","name":"foo:latest","namespace":"team"},"fieldPath":"spec.template.spec.containers[?(@.name==\\"web\\")].image","paused":false}]',
    });
  });

  it('follows a tag with an init container', () => {
    const workload = plainWorkload('CronJob', { initContainers: [{ name: 'migrate', image: 'app:1' }], containers: [{ name: 'web', image: 'app:1' }] });
    stream.tag('latest').deployTo(workload, { container: 'migrate', init: true });
    expect(triggersOf('CronJob')).toEqual([{ from: fooLatest, fieldPath: `${CRON_TEMPLATE}.initContainers[?(@.name=="migrate")].image`, paused: false }]);
  });
});

describe('deployTo on cdk8s-plus-27 workloads', () => {
  // A port, or cdk8s-plus can't make the StatefulSet's headless Service.
  const containers = [{ image: 'nginx:1.27', portNumber: 80 }];
  it.each([
    ['Deployment', (c: Chart) => new kplus.Deployment(c, 'web', { containers }), TEMPLATE],
    ['StatefulSet', (c: Chart) => new kplus.StatefulSet(c, 'web', { containers }), TEMPLATE],
    ['DaemonSet', (c: Chart) => new kplus.DaemonSet(c, 'web', { containers }), TEMPLATE],
    ['CronJob', (c: Chart) => new kplus.CronJob(c, 'web', { containers, schedule: Cron.daily() }), CRON_TEMPLATE],
  ])('writes the trigger of a %s for its default container, main', (kind, make, podSpecPath) => {
    stream.tag('latest').deployTo(make(chart));
    expect(triggersOf(kind)).toEqual([{ from: fooLatest, fieldPath: `${podSpecPath}.containers[?(@.name=="main")].image`, paused: false }]);
  });

  it('follows a tag with a named container and an init container', () => {
    // GIVEN
    const deployment = new kplus.Deployment(chart, 'web', {
      containers: [{ name: 'web', image: 'nginx:1.27' }],
      initContainers: [{ name: 'setup', image: 'busybox:1' }],
    });
    const tools = new ImageStream(chart, 'tools');
    tools.importTag('1', { from: 'busybox:1', scheduled: false });
    // WHEN
    stream.tag('latest').deployTo(deployment, { container: 'web' });
    tools.tag('1').deployTo(deployment, { container: 'setup', init: true, paused: true });
    // THEN
    expect(triggersOf('Deployment')).toEqual([
      { from: fooLatest, fieldPath: `${TEMPLATE}.containers[?(@.name=="web")].image`, paused: false },
      { from: { kind: 'ImageStreamTag', name: 'tools:1', namespace: 'team' }, fieldPath: `${TEMPLATE}.initContainers[?(@.name=="setup")].image`, paused: true },
    ]);
  });
});

describe('several deployTo calls', () => {
  it('accumulate in the order they were made, including calls made after a first synth', () => {
    // GIVEN
    const deployment = new kplus.Deployment(chart, 'web', { containers: [{ name: 'a', image: 'x:1' }, { name: 'b', image: 'x:1' }, { name: 'c', image: 'x:1' }] });
    stream.importTag('stable', { from: 'nginx:stable', scheduled: false });
    // WHEN
    stream.tag('stable').deployTo(deployment, { container: 'c' });
    stream.tag('latest').deployTo(deployment, { container: 'a' });
    Testing.synth(chart);
    ImageStreamTag.external('base/nginx:1.27').deployTo(deployment, { container: 'b' });
    // THEN
    expect(triggersOf('Deployment').map((t) => [t.from.namespace, t.from.name, t.fieldPath])).toEqual([
      ['team', 'foo:stable', `${TEMPLATE}.containers[?(@.name=="c")].image`],
      ['team', 'foo:latest', `${TEMPLATE}.containers[?(@.name=="a")].image`],
      ['base', 'nginx:1.27', `${TEMPLATE}.containers[?(@.name=="b")].image`],
    ]);
  });

  it('give each workload its own annotation', () => {
    stream.tag('latest').deployTo(new kplus.Deployment(chart, 'one', { containers: [{ image: 'x:1' }] }));
    stream.tag('latest').deployTo(plainWorkload('StatefulSet', { containers: [{ name: 'db', image: 'x:1' }] }, chart, 'two'), { container: 'db' });
    expect(triggersOf('Deployment')).toHaveLength(1);
    expect(triggersOf('StatefulSet')).toHaveLength(1);
  });
});

describe('namespaces', () => {
  it('always names the stream\'s namespace in from, also for a workload in another namespace', () => {
    const other = new Chart(app, 'other', { namespace: 'web' });
    stream.allowPull('web');
    stream.tag('latest').deployTo(new kplus.Deployment(other, 'web', { containers: [{ image: 'x:1' }] }));
    expect(triggersOf('Deployment', other)[0].from).toEqual({ kind: 'ImageStreamTag', name: 'foo:latest', namespace: 'team' });
  });


  it('tells the System the workload\'s namespace and that of each stream it follows', () => {
    const system = new System(app, 'imagestreams');
    const other = new Chart(app, 'other', { namespace: 'web' });
    ImageStreamTag.external('base/nginx:1').deployTo(new kplus.Deployment(other, 'web', { containers: [{ image: 'x:1' }] }));
    expect(system.managedNamespaces).toEqual(['base', 'team', 'web']);
  });
});

describe('deployTo checks', () => {
  const validation = (...lines: string[]) => `Validation failed with the following errors:\n  ${lines.join('\n  ')}`;
  /** The message of the error that synthesizing `c` throws. */
  function synthError(c: Chart = chart): string {
    try {
      Testing.synth(c);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('synth did not fail');
  }

  it('rejects a container the workload doesn\'t have, listing those it has', () => {
    stream.tag('latest').deployTo(new kplus.Deployment(chart, 'web', { containers: [{ image: 'x:1' }, { name: 'side', image: 'x:1' }] }), { container: 'web' });
    expect(synthError(chart)).toBe(validation(`[apps/web] deployTo(team/foo:latest): this Deployment has no container 'web' (its containers: main, side): set 'container' to one of them`));
  });

  it('reads the containers of a plain ApiObject from its rendered spec', () => {
    stream.tag('latest').deployTo(plainWorkload('DaemonSet', { containers: [{ name: 'agent', image: 'x:1' }] }));
    expect(synthError(chart)).toBe(validation(`[apps/web] deployTo(team/foo:latest): this DaemonSet has no container 'main' (its containers: agent): set 'container' to one of them`));
  });

  it('rejects an init container when the pod has none', () => {
    stream.tag('latest').deployTo(new kplus.StatefulSet(chart, 'web', { containers: [{ image: 'x:1', portNumber: 80 }] }), { container: 'main', init: true });
    expect(synthError(chart)).toBe(validation(`[apps/web] deployTo(team/foo:latest): this StatefulSet has no init container 'main' (it has no init containers): add it, or drop 'init: true'`));
  });

  it('rejects a tag that the stream doesn\'t define, and trusts external tags', () => {
    const deployment = new kplus.Deployment(chart, 'web', { containers: [{ image: 'x:1' }, { name: 'b', image: 'x:1' }] });
    stream.tag('missing').deployTo(deployment);
    ImageStreamTag.external('team/elsewhere:1').deployTo(deployment, { container: 'b' });
    expect(synthError(chart)).toBe(validation(`[apps/web] deployTo(team/foo:missing): the stream team/foo defines no tag 'missing': define it (importTag, aliasTag, pinTag, referenceTag or a BuildConfig output), or use ImageStreamTag.external('team/foo:missing') for a tag managed elsewhere`));
  });

  it('rejects two tags for one image field', () => {
    const deployment = new kplus.Deployment(chart, 'web', { containers: [{ image: 'x:1' }] });
    stream.tag('latest').deployTo(deployment);
    ImageStreamTag.external('base/nginx:1').deployTo(deployment, { container: 'main' });
    expect(synthError(chart)).toBe(validation(`[apps/web] deployTo(base/nginx:1): spec.template.spec.containers[?(@.name=="main")].image already follows team/foo:latest: an image field follows one tag; drop one of the deployTo calls`));
  });

  it('refuses a workload in a namespace the stream grants nothing, naming the fix', () => {
    const other = new Chart(app, 'other', { namespace: 'web' });
    stream.tag('latest').deployTo(new kplus.Deployment(other, 'web', { containers: [{ image: 'x:1' }] }));
    expect(synthError(other)).toBe(validation(`[other/web] deployTo(team/foo:latest): namespace 'web' may not pull from ImageStream 'team/foo': it grants Pull to namespaces it lists in spec.grants (the stream's owner adds { namespace: 'web', access: 'Pull' }, or stream.allowPull('web') in the constructs)`));
  });

  it('rejects a workload without a namespace', () => {
    const bare = new Chart(app, 'bare');
    stream.tag('latest').deployTo(new kplus.Deployment(bare, 'web', { containers: [{ image: 'x:1' }] }));
    expect(synthError(bare)).toBe(validation(`[bare/web] follows team/foo:latest but has no namespace: set metadata.namespace or the chart's namespace, so that the controller can watch it`));
  });

  it('reports every problem of a workload at once', () => {
    const deployment = new kplus.Deployment(chart, 'web', { containers: [{ image: 'x:1' }] });
    stream.tag('nope').deployTo(deployment, { container: 'nope' });
    expect(synthError()).toBe(validation(
      `[apps/web] deployTo(team/foo:nope): the stream team/foo defines no tag 'nope': define it (importTag, aliasTag, pinTag, referenceTag or a BuildConfig output), or use ImageStreamTag.external('team/foo:nope') for a tag managed elsewhere`,
      `[apps/web] deployTo(team/foo:nope): this Deployment has no container 'nope' (its containers: main): set 'container' to one of them`,
    ));
  });

  it('rejects workloads of other kinds when deployTo is called', () => {
    const job = new kplus.Job(chart, 'job', { containers: [{ image: 'x:1' }] });
    expect(() => stream.tag('latest').deployTo(job)).toThrowError("deployTo(team/foo:latest): 'workload' (Job at apps/job) is not a Deployment, StatefulSet, DaemonSet or CronJob, the kinds whose images the controller sets");
    const pod = new ApiObject(chart, 'pod', { apiVersion: 'v1', kind: 'Pod', metadata: {} });
    expect(() => stream.tag('latest').deployTo(pod)).toThrowError("deployTo(team/foo:latest): 'workload' (Pod at apps/pod) is not a Deployment, StatefulSet, DaemonSet or CronJob, the kinds whose images the controller sets");
    // THEN the rejected objects are left as they were
    expect(job.node.tryFindChild('ImageStreamTriggers')).toBeUndefined();
    expect(pod.node.children).toEqual([]);
  });
});
