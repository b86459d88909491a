import { describe, expect, it } from 'vitest';
import type { ImageStreamObject } from '../../../../lib/api/imagestream';
import { planImages } from '../../../../lib/runtime/controller/triggers/plan-images';
import { workloadKind } from '../../../../lib/api/workload-kinds';
import type { KubeObject } from '../../../../lib/runtime/kube/types';

const D = `sha256:${'a'.repeat(64)}`;
const app: ImageStreamObject = {
  apiVersion: 'imagestreams.dev/v1alpha1', kind: 'ImageStream', metadata: { name: 'app', namespace: 'ns' }, spec: {},
  status: { tags: [{ tag: 'latest', items: [{ dockerImageReference: `reg/app@${D}`, image: D, created: '2026-01-01T00:00:00Z' }] }, { tag: 'empty', items: [] }] },
};
const lookup = (ns: string, name: string) => (ns === 'ns' && name === 'app' ? app : undefined);
const path = (c: string) => `spec.template.spec.containers[?(@.name=="${c}")].image`;

function deployment(entries: object[]): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'd', namespace: 'ns', annotations: { 'imagestreams.dev/triggers': JSON.stringify(entries) } },
    spec: { template: { spec: { containers: [{ name: 'web', image: 'w' }, { name: 'api', image: 'a' }, { name: 'side', image: 's' }, { name: 'other', image: 'o' }] } } },
  };
}
const trigger = (name: string, container: string, extra: object = {}) => ({ from: { kind: 'ImageStreamTag', name }, fieldPath: path(container), ...extra });

describe('planImages', () => {
  it('plans each trigger on its own: good ones set, bad ones reported, paused ones skipped, imageless ones waiting', () => {
    const plan = planImages(deployment([
      trigger('app:latest', 'web'),
      trigger('app:latest', 'api', { paused: true }),
      trigger('app:empty', 'side'),
      trigger('app:latest', 'ghost'),
      trigger('gone:latest', 'other'),
      { from: { kind: 'ImageStreamTag', name: 'app:latest' }, fieldPath: 'spec.containers[0].image' },
    ]), workloadKind('Deployment')!, lookup);
    expect([...plan.images]).toEqual([['containers/web', `reg/app@${D}`]]);
    expect(plan.problems).toEqual([
      { reason: 'ContainerNotFound', message: `fieldPath '${path('ghost')}' names no container of this Deployment` },
      { reason: 'StreamNotFound', message: "ImageStream 'ns/gone' not found" },
      { reason: 'InvalidTrigger', message: "fieldPath 'spec.containers[0].image' must start with 'spec.template.spec.' for a Deployment" },
    ]);
    expect(plan.waiting).toEqual([{ reason: 'WaitingForImage', message: "container 'side' waits for ns/app:empty, which has no image yet" }]);
  });
});
