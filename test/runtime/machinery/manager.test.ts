import { describe, expect, it } from 'vitest';
import { Manager } from '../../../lib/runtime/machinery/manager';
import { objectKey } from '../../../lib/runtime/machinery/object-store';
import type { Reconciler } from '../../../lib/runtime/machinery/reconciler';
import type { KubeObject } from '../../../lib/runtime/kube/types';
import { useTestKube } from '../../support/kube';
import { memoryLogger } from '../controller/cluster';
import { eventually } from '../controller/eventually';

/** Records the keys it reconciles; maps each ConfigMap to its key. */
function recordingReconciler(name: string, informers: unknown[]): Reconciler & { keys: string[] } {
  const keys: string[] = [];
  return {
    name, keys,
    setup(ctx) {
      const informer = ctx.informer<KubeObject>({ apiVersion: 'v1', resource: 'configmaps', indexes: { [`by-${name}`]: () => [] } });
      informers.push(informer);
      ctx.watch(informer, (o) => [objectKey(o)]);
    },
    async reconcile(key) {
      keys.push(key);
    },
  };
}

describe('Manager', () => {
  const cluster = useTestKube('manager');

  it('shares one informer per resource, reconciles what exists at start and what changes later', async () => {
    // GIVEN a ConfigMap that exists before the manager starts, and two reconcilers on ConfigMaps
    const configMaps = cluster.kube.resource({ apiVersion: 'v1', resource: 'configmaps', namespace: cluster.namespace });
    await configMaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'before' } });
    const informers: unknown[] = [];
    const one = recordingReconciler('one', informers);
    const two = recordingReconciler('two', informers);
    const log = memoryLogger();
    const manager = new Manager({ client: cluster.kube, log, namespaces: [cluster.namespace] });
    manager.add(one);
    manager.add(two);
    const abort = new AbortController();
    const running = manager.run(abort.signal);
    // THEN both got the same informer, and both reconcile the existing object
    expect(informers[0]).toBe(informers[1]);
    // (kube-controller-manager publishes kube-root-ca.crt into every namespace: the reconcilers see it too)
    const ours = (keys: string[]) => keys.filter((k) => !k.endsWith('/kube-root-ca.crt'));
    await eventually(() => expect([ours(one.keys), ours(two.keys)]).toEqual([[`${cluster.namespace}/before`], [`${cluster.namespace}/before`]]));
    // WHEN another is created THEN both reconcile it
    await configMaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after' } });
    await eventually(() => expect(one.keys).toContain(`${cluster.namespace}/after`));
    await eventually(() => expect(two.keys).toContain(`${cluster.namespace}/after`));
    expect(manager.isLeader).toBe(true);
    // WHEN stopped THEN run() resolves and the controllers are stopped
    abort.abort();
    await running;
    expect(manager.isLeader).toBe(false);
    expect(log.entries.map((e) => e.msg)).toContain('caches synced');
  });
});
