import * as kplus from 'cdk8s-plus-27';
import { describe, expect, it } from 'vitest';
import { ImageStreamTag } from '../../../constructs';
import type { ImageStreamObject } from '../../../lib/api/imagestream';
import { rolloutProblem } from '../../../lib/api/promotion';
import { workloadKind } from '../../../lib/api/workload-kinds';
import { cachedWorkload } from '../../../lib/runtime/caches/cached-workload';
import { FIELD_MANAGER, imageApplyConfig, ownedImageFields } from '../../../lib/runtime/controller/triggers/apply-config';
import { planLocalLookups } from '../../../lib/runtime/controller/triggers/plan-local-lookups';
import { planImages } from '../../../lib/runtime/controller/triggers/plan-images';
import type { KubeObject } from '../../../lib/runtime/kube/types';
import { rolloutEvents } from '../../../lib/runtime/notify/events';
import { useTestKube } from '../../support/kube';
import { synthApp } from '../../support/synth-app';

const DEPLOYMENT = workloadKind('Deployment')!;
const DIGEST = `sha256:${'a'.repeat(64)}`;

/** A Deployment as a platform team writes it with cdk8s-plus, its container 'web' following app:latest. */
function synthesizedDeployment(namespace: string, name: string, follows: boolean, image = 'app:latest'): KubeObject {
  const app = synthApp(({ chart }) => {
    const deployment = new kplus.Deployment(chart(namespace), name, {
      metadata: { name, labels: { team: 'storefront' }, annotations: { description: 'a storefront service' } },
      replicas: 2,
      containers: [
        { name: 'web', image, portNumber: 8080, envVariables: { MODE: kplus.EnvValue.fromValue('prod'), LEVEL: kplus.EnvValue.fromValue('info') } },
        { name: 'log-shipper', image: 'registry.test/platform/log-shipper:2.1.0', args: ['--output=loki'] },
      ],
    });
    if (follows) ImageStreamTag.external('app:latest', namespace).deployTo(deployment, { container: 'web' });
  });
  const { namespace: _, ...metadata } = app.one('Deployment', name).metadata;
  return { ...app.one('Deployment', name), metadata };
}

describe('cachedWorkload', () => {
  const k = useTestKube('cached-workload');
  const deployments = () => k.kube.resource({ apiVersion: 'apps/v1', resource: 'deployments', namespace: k.namespace });
  /** The stream app at DIGEST, as the trigger reconciler's cache holds it. */
  const stream = (): ImageStreamObject => ({
    apiVersion: 'imagestreams.dev/v1alpha1', kind: 'ImageStream', metadata: { name: 'app', namespace: k.namespace },
    spec: {}, status: { tags: [{ tag: 'latest', items: [{ dockerImageReference: `registry.test/${k.namespace}/app@${DIGEST}`, image: DIGEST, created: '2026-01-01T00:00:00Z' }] }] },
  });

  it('keeps of a served Deployment what triggers, promotions and notifications read, and a fraction of its size', async () => {
    // GIVEN a synthesized Deployment applied by GitOps, whose image the controller has set once (its managedFields entry)
    await deployments().apply(synthesizedDeployment(k.namespace, 'web', true), { fieldManager: 'gitops' });
    const applied = await deployments().get('web');
    const config = imageApplyConfig(applied, DEPLOYMENT, new Map([['containers/web', `registry.test/${k.namespace}/app@${DIGEST}`]]));
    // (without the resourceVersion: kube-controller-manager writes the status meanwhile)
    await deployments().apply({ ...config, metadata: { ...config.metadata, resourceVersion: undefined } }, { fieldManager: FIELD_MANAGER, force: true });
    const served = await deployments().get('web');
    const before = { ...applied, metadata: { ...applied.metadata } };
    // WHEN it is cached
    const cached = cachedWorkload(DEPLOYMENT)(served);
    const cachedBefore = cachedWorkload(DEPLOYMENT)(before);
    // THEN every reader reads the same from it as from the served object
    const lookup = (namespace: string, name: string) => (namespace === k.namespace && name === 'app' ? stream() : undefined);
    expect(planImages(cached, DEPLOYMENT, lookup)).toEqual(planImages(served, DEPLOYMENT, lookup));
    expect([...ownedImageFields(cached, DEPLOYMENT)]).toEqual(['containers/web']);
    expect(rolloutProblem(DEPLOYMENT, cached, DIGEST)).toBe(rolloutProblem(DEPLOYMENT, served, DIGEST));
    expect(rolloutEvents(DEPLOYMENT, cachedBefore, cached).map((e) => e.message)).toEqual(rolloutEvents(DEPLOYMENT, before, served).map((e) => e.message));
    expect(rolloutEvents(DEPLOYMENT, cachedBefore, cached)).toHaveLength(1);
    // AND only the controller's own managedFields entry is kept, no labels, no other annotation, no env or ports
    expect((cached.metadata.managedFields as { manager: string }[]).map((e) => e.manager)).toEqual([FIELD_MANAGER]);
    expect(Object.keys(cached.metadata.annotations ?? {})).toEqual(['imagestreams.dev/triggers']);
    expect(cached.metadata.labels).toBeUndefined();
    expect((cached.spec as { template: { spec: { containers: object[] } } }).template.spec.containers).toEqual([
      { name: 'web', image: `registry.test/${k.namespace}/app@${DIGEST}` },
      { name: 'log-shipper', image: 'registry.test/platform/log-shipper:2.1.0' },
    ]);
    expect(JSON.stringify(cached).length * 3).toBeLessThan(JSON.stringify(served).length);
  });

  it('keeps only the identity of a workload without triggers or short image names, and reads a trigger added later', async () => {
    // GIVEN a Deployment that follows no tag and names its images in full
    await deployments().apply(synthesizedDeployment(k.namespace, 'plain', false, 'registry.test/team/app:latest'), { fieldManager: 'gitops' });
    const cached = cachedWorkload(DEPLOYMENT)(await deployments().get('plain'));
    // THEN the cache holds its identity only
    expect(Object.keys(cached).sort()).toEqual(['apiVersion', 'kind', 'metadata']);
    expect(Object.keys(cached.metadata).sort()).toEqual(['name', 'namespace', 'resourceVersion', 'uid']);
    // WHEN GitOps adds the trigger THEN the new version is cached whole enough to plan
    await deployments().apply(synthesizedDeployment(k.namespace, 'plain', true), { fieldManager: 'gitops' });
    const later = cachedWorkload(DEPLOYMENT)(await deployments().get('plain'));
    expect(planImages(later, DEPLOYMENT, () => stream()).images).toEqual(new Map([['containers/web', `registry.test/${k.namespace}/app@${DIGEST}`]]));
  });

  it('keeps the containers of a workload without triggers that names an image by short name (a local lookup may resolve it)', async () => {
    // GIVEN a Deployment without triggers whose container names app:latest
    await deployments().apply(synthesizedDeployment(k.namespace, 'short', false), { fieldManager: 'gitops' });
    const served = await deployments().get('short');
    const cached = cachedWorkload(DEPLOYMENT)(served);
    // THEN the cache plans the same local lookups as the served object, and holds the containers' names and images only
    const local = (stream: ImageStreamObject): ImageStreamObject => ({ ...stream, spec: { ...stream.spec, lookupPolicy: { local: true } } });
    expect(planLocalLookups(cached, DEPLOYMENT, () => local(stream())).images).toEqual(new Map([['containers/web', `registry.test/${k.namespace}/app@${DIGEST}`]]));
    expect(planLocalLookups(cached, DEPLOYMENT, () => local(stream()))).toEqual(planLocalLookups(served, DEPLOYMENT, () => local(stream())));
    expect((cached.spec as { template: { spec: { containers: object[] } } }).template.spec.containers).toEqual([
      { name: 'web', image: 'app:latest' },
      { name: 'log-shipper', image: 'registry.test/platform/log-shipper:2.1.0' },
    ]);
  });
});
