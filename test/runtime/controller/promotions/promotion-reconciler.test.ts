import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TagSpec } from '../../../../lib/api/imagestream';
import type { KubeObject } from '../../../../lib/runtime/kube/types';
import { follow, startTriggerCluster, type TriggerCluster } from '../cluster';
import { eventually } from '../eventually';

// Promotion between tags on the real API server, the deployment controller of kube-controller-manager
// writing the rollout status the gate reads (no kubelet: pods stay Pending, so replicas never become
// available unless there are none to wait for).
describe('PromotionReconciler', () => {
  let cluster: TriggerCluster;
  let other: string;
  beforeAll(async () => {
    cluster = await startTriggerCluster('promote');
    other = await cluster.newNamespace('promote-other');
    await cluster.startController({ namespaces: [cluster.namespace, other], promotions: {} });
  });
  afterAll(async () => cluster?.close());

  const promoted = (name: string, from: string, policy: Omit<NonNullable<TagSpec['promotion']>, 'from'> = {}, namespace?: string): TagSpec => ({ name, promotion: { from: { name: from, ...(namespace ? { namespace } : {}) }, ...policy } });
  const items = async (stream: string, tag: string, namespace = cluster.namespace) => (await cluster.streams(namespace).get(stream)).status?.tags?.find((t) => t.tag === tag)?.items ?? [];
  const events = async (reason: string, namespace = cluster.namespace) => (await cluster.kube.resource<KubeObject & { reason: string; message: string }>({ apiVersion: 'v1', resource: 'events', namespace }).list()).items.filter((e) => e.reason === reason).map((e) => e.message);

  it('promotes the staging image to prod once it has soaked, noting where it came from', async () => {
    // GIVEN prod promoted from staging after a soak of 2 s
    await cluster.createStream('app', { tags: [{ name: 'staging' }, promoted('prod', 'app:staging', { soakSeconds: 2 })] });
    // WHEN staging gets an image
    const image = await cluster.pushImage('app', 'staging', 'app-1');
    // THEN prod waits, saying why, then has it, with promotedFrom
    await eventually(async () => expect((await events('PromotionWaiting')).join()).toMatch(/prod: .*\/app:staging → prod: sha256:.* has soaked \d+s of 2s/));
    expect(await items('app', 'prod')).toEqual([]);
    await eventually(async () => expect(await items('app', 'prod')).toEqual([expect.objectContaining({ image, promotedFrom: `${cluster.namespace}/app:staging` })]), 8_000);
    await eventually(async () => expect(await events('Promoted')).toEqual([`prod: ${image} promoted from ${cluster.namespace}/app:staging`]));
    // WHEN staging moves again THEN prod follows after its soak, history newest first
    const next = await cluster.pushImage('app', 'staging', 'app-2');
    await eventually(async () => expect((await items('app', 'prod')).map((i) => i.image)).toEqual([next, image]), 8_000);
  });

  it('waits for the workloads following staging to roll the image out and be available', async () => {
    // GIVEN prod promoted from staging once rolled out, and a Deployment of 1 replica following staging (its pod never runs here)
    await cluster.createStream('web', { tags: [{ name: 'staging' }, promoted('prod', 'web:staging', { requireRollout: true })] });
    const deployments = cluster.workloads('apps/v1', 'deployments');
    const site = cluster.workload('Deployment', 'site', [{ name: 'web', image: 'web:staging' }], [follow('web:staging', 'web')]);
    await deployments.apply({ ...site, spec: { ...(site as any).spec, replicas: 1 } }, { fieldManager: 'gitops' });
    // WHEN staging gets an image
    const image = await cluster.pushImage('web', 'staging', 'web-1');
    // THEN the Deployment is set to it, but with no replica available prod waits
    await eventually(async () => expect((await events('PromotionWaiting')).join()).toContain('Deployment site: 0 of 1 available'), 10_000);
    expect(await items('web', 'prod')).toEqual([]);
    // WHEN the Deployment is scaled to 0 (every replica it wants is there)
    await deployments.mergePatch('site', { spec: { replicas: 0 } });
    // THEN the gate opens
    await eventually(async () => expect((await items('web', 'prod')).map((i) => i.image)).toEqual([image]), 15_000);
  });

  it('promotes from another namespace only with its Pull grant', async () => {
    // GIVEN a source stream in the other namespace that grants nothing, and one promoting from it here
    await cluster.createStream('base', { tags: [{ name: 'release' }] }, other);
    await cluster.createStream('mine', { tags: [promoted('release', 'base:release', {}, other)] });
    await cluster.pushImage('base', 'release', 'base-1', other);
    // THEN nothing is promoted, and the stream says why
    await eventually(async () => expect((await events('AccessDenied')).join()).toContain(`namespace '${cluster.namespace}' may not pull from ImageStream '${other}/base'`));
    expect(await items('mine', 'release')).toEqual([]);
    // WHEN the source grants Pull THEN it is promoted
    await cluster.streams(other).mergePatch('base', { spec: { grants: [{ namespace: cluster.namespace, access: 'Pull' }] } });
    await eventually(async () => expect((await items('mine', 'release')).map((i) => i.promotedFrom)).toEqual([`${other}/base:release`]));
  });
});
