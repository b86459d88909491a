import { describe, expect, it } from 'vitest';
import { Manager } from '../../../lib/runtime/machinery/manager';
import { objectKey } from '../../../lib/runtime/machinery/object-store';
import type { Reconciler } from '../../../lib/runtime/machinery/reconciler';
import type { KubeObject } from '../../../lib/runtime/kube/types';
import { useStandIn } from '../../support/apiserver-client';
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
  const standIn = useStandIn();

  it('shares one informer per resource, reconciles what exists at start and what changes later', async () => {
    // GIVEN a ConfigMap that exists before the manager starts, and two reconcilers on ConfigMaps
    const configMaps = standIn.kube.resource({ apiVersion: 'v1', resource: 'configmaps', namespace: 'default' });
    await configMaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'before' } });
    const informers: unknown[] = [];
    const one = recordingReconciler('one', informers);
    const two = recordingReconciler('two', informers);
    const log = memoryLogger();
    const manager = new Manager({ client: standIn.kube, log, namespaces: ['default'] });
    manager.add(one);
    manager.add(two);
    const abort = new AbortController();
    const running = manager.run(abort.signal);
    // THEN both got the same informer, and both reconcile the existing object
    expect(informers[0]).toBe(informers[1]);
    await eventually(() => expect([one.keys, two.keys]).toEqual([['default/before'], ['default/before']]));
    // WHEN another is created THEN both reconcile it
    await configMaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after' } });
    await eventually(() => expect(one.keys).toContain('default/after'));
    await eventually(() => expect(two.keys).toContain('default/after'));
    expect(manager.isLeader).toBe(true);
    // WHEN stopped THEN run() resolves and the controllers are stopped
    abort.abort();
    await running;
    expect(manager.isLeader).toBe(false);
    expect(log.entries.map((e) => e.msg)).toContain('caches synced');
  });
});
