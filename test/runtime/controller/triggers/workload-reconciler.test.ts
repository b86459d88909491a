import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../lib/runtime/kube/types';
import { byName, follow, interceptingClient, startTriggerCluster, triggers, workload, type RunningController, type TriggerCluster } from '../cluster';
import { eventually } from '../eventually';

const DEPLOYMENTS = ['apps/v1', 'deployments'] as const;
const GITOPS = { fieldManager: 'gitops' };

function containerImage(object: KubeObject, path: string[], list: string, name: string): string | undefined {
  let node: unknown = object;
  for (const field of path) node = (node as Record<string, unknown>)[field];
  return ((node as Record<string, { name: string; image: string }[]>)[list] ?? []).find((c) => c.name === name)?.image;
}

const TEMPLATE = ['spec', 'template', 'spec'];

describe('WorkloadTriggerReconciler', () => {
  let cluster: TriggerCluster;
  let controller: RunningController;

  beforeAll(async () => {
    cluster = await startTriggerCluster();
    controller = await cluster.startController();
  });
  afterAll(async () => cluster?.close());

  const deployments = () => cluster.workloads(...DEPLOYMENTS);
  const imageOf = async (name: string, container = 'web', list = 'containers') =>
    containerImage(await deployments().get(name), TEMPLATE, list, container);
  const eventsFor = async (name: string) =>
    (await cluster.kube.resource<KubeObject & { involvedObject: { name: string }; reason: string; type: string; message: string; reportingComponent?: string; source?: { component?: string } }>({ apiVersion: 'v1', resource: 'events', namespace: cluster.namespace }).list())
      .items.filter((e) => e.involvedObject.name === name && e.reportingComponent !== 'deployment-controller' && e.source?.component !== 'deployment-controller');

  it('sets a Deployment container, by name, to the digest of its tag, owning only that image field', async () => {
    // GIVEN stream 'app' and a Deployment applied by GitOps whose container 'web' follows app:latest
    await cluster.createStream('app');
    await deployments().apply(cluster.workload('Deployment', 'web', [{ name: 'web', image: 'app:latest' }, { name: 'sidecar', image: 'busybox:1' }], [follow('app:latest', 'web')]), GITOPS);
    // WHEN app:latest gets an image
    const image = await cluster.pushImage('app', 'latest', 'web-1');
    // THEN the container's image is set to the repository at that digest, the sidecar untouched
    await eventually(async () => expect(await imageOf('web')).toBe(`registry.test/${cluster.namespace}/app@${image}`));
    expect(await imageOf('web', 'sidecar')).toBe('busybox:1');
    // AND imagestreams-controller owns exactly spec.template.spec.containers[name=web].image
    const managed = (await deployments().get('web')).metadata.managedFields as { manager: string; operation: string; fieldsV1: object }[];
    const ours = managed.filter((m) => m.manager === 'imagestreams-controller');
    expect(ours).toHaveLength(1);
    expect(ours[0].operation).toBe('Apply');
    expect(ours[0].fieldsV1).toEqual({
      'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } },
    });
    // AND a newer image moves it again
    const next = await cluster.pushImage('app', 'latest', 'web-2');
    await eventually(async () => expect(await imageOf('web')).toBe(`registry.test/${cluster.namespace}/app@${next}`));
  });

  it('says with a Normal Event WaitingForImage which tag a container waits for, and why when its import failed', async () => {
    // GIVEN a stream whose tag has no image yet: its import failed (as the importer records it)
    await cluster.createStream('later', { tags: [{ name: 'v1', from: { kind: 'DockerImage', name: 'quay.io/team/later:v1' } }] });
    const fresh = await cluster.streams().get('later');
    await cluster.streams().updateStatus({ ...fresh, status: { tags: [{ tag: 'v1', conditions: [{ type: 'ImportSuccess', status: 'False', reason: 'NotFound', message: 'quay.io/team/later:v1 not found: manifest unknown' }] }] } });
    // WHEN a Deployment follows it
    await deployments().apply(cluster.workload('Deployment', 'waits', [{ name: 'web', image: 'later:v1' }], [follow('later:v1', 'web')]), GITOPS);
    // THEN the Deployment gets a Normal Event naming the tag and the reason, and keeps its image
    await eventually(async () => expect((await eventsFor('waits')).map((e) => [e.type, e.reason, e.message])).toEqual([
      ['Normal', 'WaitingForImage', `container 'web' waits for ${cluster.namespace}/later:v1, which has no image yet: its import failed (NotFound: quay.io/team/later:v1 not found: manifest unknown)`],
    ]));
    expect(await imageOf('waits')).toBe('later:v1');
    // WHEN the tag gets an image THEN the container is set to it
    const image = await cluster.pushImage('later', 'v1', 'later-1');
    await eventually(async () => expect(await imageOf('waits')).toBe(`registry.test/${cluster.namespace}/later@${image}`));
  });

  it('uses the stream\'s publicImageRepository, where nodes pull from', async () => {
    // GIVEN a stream whose images are pushed to registry.test and pulled by nodes from another address
    await cluster.createStream('pub', { imageRepository: `registry.test/${cluster.namespace}/pub`, publicImageRepository: 'nodes.example:5000/team/pub' });
    await deployments().apply(cluster.workload('Deployment', 'pub', [{ name: 'web', image: 'x' }], [follow('pub:v1', 'web')]), GITOPS);
    // WHEN pub:v1 gets an image
    const image = await cluster.pushImage('pub', 'v1', 'pub-1');
    // THEN the pull address at that digest is set
    await eventually(async () => expect(await imageOf('pub')).toBe(`nodes.example:5000/team/pub@${image}`));
  });

  it('sets containers and init containers by index, keeping the images it set before', async () => {
    // GIVEN init container [0] following base:latest and container [1] following app2:latest
    await cluster.createStream('base');
    await cluster.createStream('app2');
    const initTrigger = { from: { kind: 'ImageStreamTag', name: 'base:latest' }, fieldPath: 'spec.template.spec.initContainers[0].image' };
    const appTrigger = { from: { kind: 'ImageStreamTag', name: 'app2:latest' }, fieldPath: 'spec.template.spec.containers[1].image' };
    await deployments().apply(workload('Deployment', 'indexed', [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }], triggers(initTrigger, appTrigger), [{ name: 'init', image: 'i:1' }]), GITOPS);
    // WHEN base moves
    const base = await cluster.pushImage('base', 'latest', 'base-1');
    // THEN the init container follows
    await eventually(async () => expect(await imageOf('indexed', 'init', 'initContainers')).toBe(`registry.test/${cluster.namespace}/base@${base}`));
    // WHEN the init trigger is then paused (kubectl annotate) and app2 moves
    await deployments().mergePatch('indexed', { metadata: { annotations: triggers({ ...initTrigger, paused: true }, appTrigger) } }, { fieldManager: 'kubectl-annotate' });
    const app2 = await cluster.pushImage('app2', 'latest', 'app2-1');
    // THEN container [1] follows, the init image set before stays (an apply without it would remove it), [0] is untouched
    await eventually(async () => expect(await imageOf('indexed', 'b')).toBe(`registry.test/${cluster.namespace}/app2@${app2}`));
    expect(await imageOf('indexed', 'init', 'initContainers')).toBe(`registry.test/${cluster.namespace}/base@${base}`);
    expect(await imageOf('indexed', 'a')).toBe('a:1');
  });

  it.each([
    ['StatefulSet', 'statefulsets', TEMPLATE],
    ['DaemonSet', 'daemonsets', TEMPLATE],
    ['CronJob', 'cronjobs', ['spec', 'jobTemplate', 'spec', 'template', 'spec']],
  ])('sets the image of a %s', async (kind, resource, path) => {
    // GIVEN a stream and a workload of this kind following it
    const stream = `s-${resource}`;
    await cluster.createStream(stream);
    const client = cluster.workloads(kind === 'CronJob' ? 'batch/v1' : 'apps/v1', resource);
    await client.apply(cluster.workload(kind, 'w', [{ name: 'main', image: 'x' }], [follow(`${stream}:latest`, 'main')]), GITOPS);
    // WHEN the tag gets an image
    const image = await cluster.pushImage(stream, 'latest', `${kind}-1`);
    // THEN the workload's container follows
    await eventually(async () => expect(containerImage(await client.get('w'), path, 'containers', 'main')).toBe(`registry.test/${cluster.namespace}/${stream}@${image}`));
  });

  it('honours OpenShift\'s image.openshift.io/triggers annotation', async () => {
    // GIVEN a Deployment ported from OpenShift
    await cluster.createStream('os');
    const annotations = { 'image.openshift.io/triggers': JSON.stringify([byName('os:latest', 'web', { paused: false })]) };
    await deployments().apply(workload('Deployment', 'ported', [{ name: 'web', image: 'os' }], annotations), GITOPS);
    // WHEN its tag moves
    const image = await cluster.pushImage('os', 'latest', 'os-1');
    // THEN it follows
    await eventually(async () => expect(await imageOf('ported')).toBe(`registry.test/${cluster.namespace}/os@${image}`));
  });

  it('ignores paused triggers', async () => {
    // GIVEN a Deployment with a paused trigger on 'web' and a live one on 'canary', both on paused:latest
    await cluster.createStream('paused');
    await deployments().apply(cluster.workload('Deployment', 'paused', [{ name: 'web', image: 'paused:latest' }, { name: 'canary', image: 'paused:latest' }],
      [follow('paused:latest', 'web', { paused: true }), follow('paused:latest', 'canary')]), GITOPS);
    // WHEN the tag moves (and the controller has acted on it: 'canary' follows)
    const image = await cluster.pushImage('paused', 'latest', 'paused-1');
    await eventually(async () => expect(await imageOf('paused', 'canary')).toBe(`registry.test/${cluster.namespace}/paused@${image}`));
    // THEN the paused container is unchanged
    expect(await imageOf('paused')).toBe('paused:latest');
  });

  it('follows alias tags through other streams, and reports a cycle', async () => {
    // GIVEN release:stable -> release:candidate -> core:latest, and a Deployment following release:stable
    await cluster.createStream('core');
    await cluster.createStream('release', { tags: [
      { name: 'stable', from: { kind: 'ImageStreamTag', name: 'candidate' } },
      { name: 'candidate', from: { kind: 'ImageStreamTag', name: 'core:latest' } },
      { name: 'loop', from: { kind: 'ImageStreamTag', name: 'release:loop2' } },
      { name: 'loop2', from: { kind: 'ImageStreamTag', name: 'loop' } },
    ] });
    await deployments().apply(cluster.workload('Deployment', 'aliased', [{ name: 'web', image: 'x' }, { name: 'loopy', image: 'y' }],
      [follow('release:stable', 'web'), follow('release:loop', 'loopy')]), GITOPS);
    // WHEN core:latest gets an image
    const image = await cluster.pushImage('core', 'latest', 'core-1');
    // THEN the Deployment gets it through both aliases (the change of 'core' found it via the alias index)
    await eventually(async () => expect(await imageOf('aliased')).toBe(`registry.test/${cluster.namespace}/core@${image}`));
    // AND the looping trigger is reported, its container untouched
    const events = await eventually(async () => {
      const found = (await eventsFor('aliased')).filter((e) => e.reason === 'AliasCycle');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(events[0].type).toBe('Warning');
    expect(events[0].message).toBe(`alias tags form a cycle: ${cluster.namespace}/release:loop -> ${cluster.namespace}/release:loop2 -> ${cluster.namespace}/release:loop`);
    expect(await imageOf('aliased', 'loopy')).toBe('y');
  });

  it('reports bad triggers as Events and still updates other workloads', async () => {
    // GIVEN four Deployments with bad annotations and one good one, all on stream 'mixed'
    await cluster.createStream('mixed');
    const bad = {
      'bad-json': { 'imagestreams.dev/triggers': '[{"from":' },
      'bad-kind': triggers({ from: { kind: 'DockerImage', name: 'mixed:latest' }, fieldPath: 'spec.template.spec.containers[0].image' }),
      'bad-container': triggers(byName('mixed:latest', 'nope')),
      'bad-stream': triggers(byName('missing:latest', 'web')),
    };
    for (const [name, annotations] of Object.entries(bad)) await deployments().apply(workload('Deployment', name, [{ name: 'web', image: 'keep' }], annotations), GITOPS);
    await deployments().apply(cluster.workload('Deployment', 'good', [{ name: 'web', image: 'x' }], [follow('mixed:latest', 'web')]), GITOPS);
    // WHEN the stream moves
    const image = await cluster.pushImage('mixed', 'latest', 'mixed-1');
    // THEN the good one follows
    await eventually(async () => expect(await imageOf('good')).toBe(`registry.test/${cluster.namespace}/mixed@${image}`));
    // AND each bad one has a Warning Event naming the problem, and kept its image
    const expected: Record<string, [string, string]> = {
      'bad-json': ['InvalidTrigger', "annotation 'imagestreams.dev/triggers': invalid JSON: "],
      'bad-kind': ['InvalidTrigger', `annotation 'imagestreams.dev/triggers': trigger [0]: 'from.kind' ("DockerImage") must be 'ImageStreamTag'`],
      'bad-container': ['ContainerNotFound', `fieldPath 'spec.template.spec.containers[?(@.name=="nope")].image' names no container of this Deployment`],
      'bad-stream': ['StreamNotFound', `ImageStream '${cluster.namespace}/missing' not found`],
    };
    for (const [name, [reason, message]] of Object.entries(expected)) {
      const [event] = await eventually(async () => {
        const found = await eventsFor(name);
        expect(found).toHaveLength(1);
        return found;
      });
      expect(event).toMatchObject({ reason, type: 'Warning', involvedObject: { kind: 'Deployment', name, namespace: cluster.namespace } });
      expect(event.message.startsWith(message)).toBe(true);
      expect(await imageOf(name)).toBe('keep');
    }
  });

  it('does not fight another manager that changes other fields, and writes nothing when already equal', async () => {
    // GIVEN a Deployment whose image the controller has set
    await cluster.createStream('gitops');
    const manifest = (replicas: number, image?: string) => {
      const w = cluster.workload('Deployment', 'gitops', [{ name: 'web', ...(image ? { image } : {}), env: [{ name: 'MODE', value: String(replicas) }] }], [follow('gitops:latest', 'web')]);
      return { ...w, spec: { ...(w.spec as object), replicas } };
    };
    await deployments().apply(manifest(1, 'gitops:latest'), GITOPS);
    const image = await cluster.pushImage('gitops', 'latest', 'gitops-1');
    await eventually(async () => expect(await imageOf('gitops')).toBe(`registry.test/${cluster.namespace}/gitops@${image}`));
    const writes = () => controller.log.entries.filter((e) => e.msg === 'image updated' && e.fields.workload === `Deployment/${cluster.namespace}/gitops`).length;
    // (the controller logs after its apply returns, so the image can be seen a moment before the log line)
    await eventually(() => expect(writes()).toBe(1));
    // WHEN GitOps applies its manifest again with other replicas and env (leaving the image to the controller)
    const after = await deployments().apply(manifest(3), GITOPS);
    await eventually(() => expect(controller.log.entries.some((e) => e.msg === 'reconciled' && e.fields.resourceVersion === after.metadata.resourceVersion)).toBe(true));
    // THEN both changes stand, and the controller saw the Deployment again but wrote nothing
    const live = await deployments().get('gitops');
    expect((live.spec as { replicas: number }).replicas).toBe(3);
    expect(containerImage(live, TEMPLATE, 'containers', 'web')).toBe(`registry.test/${cluster.namespace}/gitops@${image}`);
    expect(writes()).toBe(1);
    // AND a kubectl-style merge patch of other fields does not conflict either
    await deployments().mergePatch('gitops', { metadata: { labels: { touched: 'yes' } } }, { fieldManager: 'kubectl-edit' });
    expect(await imageOf('gitops')).toBe(`registry.test/${cluster.namespace}/gitops@${image}`);
  });
});

describe('WorkloadTriggerReconciler under concurrency and restarts', () => {
  let cluster: TriggerCluster;
  beforeAll(async () => (cluster = await startTriggerCluster()));
  afterAll(async () => cluster?.close());
  const imageOf = async (name: string) => containerImage(await cluster.workloads(...DEPLOYMENTS).get(name), TEMPLATE, 'containers', 'web');

  it('retries after a 409 when another writer changed the workload since the cache saw it', async () => {
    // GIVEN a controller whose first two applies are each preceded by another writer's change
    await cluster.createStream('busy');
    await cluster.workloads(...DEPLOYMENTS).apply(cluster.workload('Deployment', 'busy', [{ name: 'web', image: 'x' }], [follow('busy:latest', 'web')]), GITOPS);
    let interfered = 0;
    const client = interceptingClient(cluster.kube, async (object) => {
      if (object.metadata.name === 'busy' && interfered < 2) {
        await cluster.workloads(...DEPLOYMENTS).mergePatch('busy', { metadata: { labels: { writer: String(++interfered) } } }, { fieldManager: 'other-writer' });
      }
    });
    const controller = await cluster.startController({ client });
    // WHEN the tag moves
    const image = await cluster.pushImage('busy', 'latest', 'busy-1');
    // THEN the image is set in the end, after two conflicts were retried, and the other writer's change stands
    await eventually(async () => expect(await imageOf('busy')).toBe(`registry.test/${cluster.namespace}/busy@${image}`));
    // (more than two when a retry ran before the watch brought the newer version: a 409 again)
    const retries = controller.log.entries.filter((e) => e.msg === 'reconcile failed; retrying' && String(e.fields.error).includes('409 Conflict'));
    expect(retries.length).toBeGreaterThanOrEqual(2);
    expect((await cluster.workloads(...DEPLOYMENTS).get('busy')).metadata.labels).toEqual({ writer: '2' });
    await controller.stop();
  });

  it('converges after a restart: a tag that moved while no controller ran is rolled out', async () => {
    // GIVEN a controller that has set a Deployment's image, then stopped
    await cluster.createStream('restart');
    await cluster.workloads(...DEPLOYMENTS).apply(cluster.workload('Deployment', 'restart', [{ name: 'web', image: 'x' }], [follow('restart:latest', 'web')]), GITOPS);
    const first = await cluster.startController();
    const one = await cluster.pushImage('restart', 'latest', 'restart-1');
    await eventually(async () => expect(await imageOf('restart')).toBe(`registry.test/${cluster.namespace}/restart@${one}`));
    await first.stop();
    // WHEN the tag moves while no controller runs, and a new one starts
    const two = await cluster.pushImage('restart', 'latest', 'restart-2');
    const second = await cluster.startController();
    // THEN the new one rolls the change out
    await eventually(async () => expect(await imageOf('restart')).toBe(`registry.test/${cluster.namespace}/restart@${two}`));
    await second.stop();
  });

  it('hands leadership over when the leader stops renewing, after the lease expires', async () => {
    // GIVEN two controllers electing over a 1 s lease; 'a' starts first and leads
    await cluster.createStream('ha');
    await cluster.workloads(...DEPLOYMENTS).apply(cluster.workload('Deployment', 'ha', [{ name: 'web', image: 'x' }], [follow('ha:latest', 'web')]), GITOPS);
    const election = (identity: string) => ({ namespace: cluster.namespace, name: 'ha-test', identity, leaseDurationMs: 1000, renewDeadlineMs: 600, retryPeriodMs: 100 });
    const clientA = interceptingClient(cluster.kube, async () => {});
    const a = await cluster.startController({ client: clientA, leaderElection: election('a') });
    await eventually(() => expect(a.manager.isLeader).toBe(true));
    const b = await cluster.startController({ leaderElection: election('b') });
    const one = await cluster.pushImage('ha', 'latest', 'ha-1');
    await eventually(async () => expect(await imageOf('ha')).toBe(`registry.test/${cluster.namespace}/ha@${one}`));
    expect(b.manager.isLeader).toBe(false);
    expect(b.log.entries.filter((e) => e.msg === 'image updated')).toEqual([]);
    // WHEN 'a' is cut off from the API server (it can no longer renew)
    clientA.partition();
    // THEN 'a' steps down, 'b' takes the lease (one transition) and rolls out the next image
    await eventually(() => expect(a.manager.isLeader).toBe(false));
    await eventually(() => expect(b.manager.isLeader).toBe(true));
    const lease = await cluster.kube.resource<KubeObject & { spec: Record<string, unknown> }>({ apiVersion: 'coordination.k8s.io/v1', resource: 'leases', namespace: cluster.namespace }).get('ha-test');
    expect(lease.spec).toMatchObject({ holderIdentity: 'b', leaseDurationSeconds: 1, leaseTransitions: 1 });
    const two = await cluster.pushImage('ha', 'latest', 'ha-2');
    await eventually(async () => expect(await imageOf('ha')).toBe(`registry.test/${cluster.namespace}/ha@${two}`));
    await eventually(() => expect(b.log.entries.filter((e) => e.msg === 'image updated')).toHaveLength(1));
    expect(a.log.entries.some((e) => e.msg === 'lost leadership: could not renew the lease')).toBe(true);
  });
});
