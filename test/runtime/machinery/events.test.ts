import { describe, expect, it } from 'vitest';
import { EventRecorder, type CoreEvent } from '../../../lib/runtime/machinery/events';
import { silentLogger } from '../../../lib/runtime/machinery/logger';
import type { KubeObject } from '../../../lib/runtime/kube/types';
import { useTestKube } from '../../support/kube';

describe('EventRecorder', () => {
  const cluster = useTestKube('events');

  const involved = (): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: cluster.namespace, uid: 'u-1', resourceVersion: '5' } });
  const events = () => cluster.kube.resource<CoreEvent>({ apiVersion: 'v1', resource: 'events', namespace: cluster.namespace }).list();

  it('writes a Warning Event about the object, once per minute for the same problem', async () => {
    // GIVEN a recorder
    const recorder = new EventRecorder(cluster.kube, 'imagestreams-controller', 'pod-1', silentLogger);
    // WHEN the same problem is recorded twice and another once
    await recorder.record(involved(), 'Warning', 'StreamNotFound', "ImageStream 'default/x' not found");
    await recorder.record(involved(), 'Warning', 'StreamNotFound', "ImageStream 'default/x' not found");
    await recorder.record(involved(), 'Warning', 'ContainerNotFound', 'no container');
    // THEN two Events exist, each counted once, pointing at the Deployment
    const items = (await events()).items.sort((a, b) => a.reason.localeCompare(b.reason));
    expect(items.map((e) => [e.reason, e.count, e.type])).toEqual([['ContainerNotFound', 1, 'Warning'], ['StreamNotFound', 1, 'Warning']]);
    expect(items[1]).toMatchObject({
      message: "ImageStream 'default/x' not found",
      involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: cluster.namespace, uid: 'u-1' },
      source: { component: 'imagestreams-controller' }, reportingInstance: 'pod-1',
    });
  });

  it('bumps the count of the same Event when another replica (or a restart) records it again', async () => {
    // GIVEN an Event recorded by one recorder
    await new EventRecorder(cluster.kube, 'c', 'a', silentLogger).record(involved(), 'Warning', 'AliasCycle', 'loop');
    // WHEN a fresh recorder records the same problem
    await new EventRecorder(cluster.kube, 'c', 'b', silentLogger).record(involved(), 'Warning', 'AliasCycle', 'loop');
    // THEN there is one Event with count 2
    const cycle = (await events()).items.filter((e) => e.reason === 'AliasCycle');
    expect(cycle.map((e) => e.count)).toEqual([2]);
  });
});
