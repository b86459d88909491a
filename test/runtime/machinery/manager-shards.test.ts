import * as kplus from 'cdk8s-plus-27';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStreamTag } from '../../../constructs';
import { shardLeaseName, shardOf } from '../../../lib/api/sharding';
import { WorkloadTriggerReconciler } from '../../../lib/runtime/controller/triggers/workload-reconciler';
import type { KubeObject } from '../../../lib/runtime/kube/types';
import type { LeaseObject } from '../../../lib/runtime/machinery/lease';
import { Manager } from '../../../lib/runtime/machinery/manager';
import type { Reconciler } from '../../../lib/runtime/machinery/reconciler';
import { synthApp } from '../../support/synth-app';
import { digest, interceptingClient, memoryLogger, startTriggerCluster, type TriggerCluster } from '../controller/cluster';
import { eventually } from '../controller/eventually';

const SHARDS = 3;
/** Short leases, so that a takeover happens within the test: expiry 3 s, then 1.5 s of patience. */
const ELECTION = { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 300 };
const TAKEOVER_AFTER_MS = 1500;

interface Handled {
  readonly identity: string;
  readonly key: string;
  readonly startMs: number;
  endMs?: number;
  ok?: boolean;
}

/** The workload trigger reconciler, noting who reconciled which key and when. */
function recording(identity: string, handled: Handled[]): Reconciler {
  const inner = new WorkloadTriggerReconciler();
  return {
    name: inner.name,
    setup: (ctx) => inner.setup(ctx),
    namespaceOf: (key) => inner.namespaceOf(key),
    async reconcile(key) {
      const entry: Handled = { identity, key, startMs: Date.now() };
      handled.push(entry);
      try {
        await inner.reconcile(key);
        entry.ok = true;
      } finally {
        entry.endMs = Date.now();
      }
    },
  };
}

/** A Deployment whose container 'web' follows app:latest of its own namespace, as the constructs write it. */
function deployment(namespace: string): KubeObject {
  const app = synthApp(({ chart }) => {
    const web = new kplus.Deployment(chart(namespace), 'web', { metadata: { name: 'web' }, containers: [{ name: 'web', image: 'app:latest' }] });
    ImageStreamTag.external('app:latest', namespace).deployTo(web, { container: 'web' });
  });
  return app.one('Deployment', 'web');
}

const namespaceOfKey = (key: string) => key.split('/')[1];

describe('Manager with shards, on the real API server', () => {
  let cluster: TriggerCluster;
  const namespaces: string[] = [];
  const handled: Handled[] = [];
  const replicas = new Map<string, { manager: Manager; partition(): void; stop(): Promise<void> }>();

  beforeAll(async () => {
    cluster = await startTriggerCluster('shards');
    // Namespaces until every shard owns two (their names are random: their shards are found, not chosen)
    for (let n = 0; n < 40 && [0, 1, 2].some((s) => namespaces.filter((ns) => shardOf(ns, SHARDS) === s).length < 2); n++) {
      namespaces.push(await cluster.newNamespace('shard'));
    }
    for (const ns of namespaces) {
      await cluster.createStream('app', {}, ns);
      await cluster.workloads('apps/v1', 'deployments', ns).apply(deployment(ns), { fieldManager: 'gitops' });
    }
  });
  afterAll(async () => {
    await Promise.all([...replicas.values()].map((r) => r.stop()));
    cluster?.close();
  });

  /** A replica at home in `shard`, with a client of its own that a test can cut (a killed pod neither renews nor releases). */
  async function startReplica(identity: string, shard: number): Promise<void> {
    const client = interceptingClient(cluster.kube, async () => {});
    const manager = new Manager({
      client, log: memoryLogger(), namespaces, workers: 2, backoff: { baseDelayMs: 5, maxDelayMs: 200 },
      leaderElection: { namespace: cluster.namespace, identity, ...ELECTION },
      sharding: { shards: SHARDS, shard, takeoverAfterMs: TAKEOVER_AFTER_MS },
    });
    manager.add(recording(identity, handled));
    const abort = new AbortController();
    const running = manager.run(abort.signal);
    replicas.set(identity, { manager, partition: () => client.partition(), stop: async () => (abort.abort(), await running) });
    await manager.synced;
  }

  const image = (ns: string, seed: string) => `registry.test/${ns}/app@${digest(seed)}`;
  const imageOf = async (ns: string) => ((await cluster.workloads('apps/v1', 'deployments', ns).get('web')).spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image;
  const pushAll = async (round: string) => {
    for (const ns of namespaces) await cluster.pushImage('app', 'latest', `${ns}-${round}`, ns);
  };
  const allAt = (round: string) => eventually(async () => {
    for (const ns of namespaces) expect(await imageOf(ns)).toBe(image(ns, `${ns}-${round}`));
  }, 30_000, 100);
  const holderOf = async (shard: number) => (await cluster.kube.resource<LeaseObject>({ apiVersion: 'coordination.k8s.io/v1', resource: 'leases', namespace: cluster.namespace }).get(shardLeaseName('imagestreams-controller', shard, SHARDS))).spec?.holderIdentity;
  /** Of the reconciles that started at or after `sinceMs`: who did each namespace's key. */
  const handlersSince = (sinceMs: number) => {
    const by = new Map<string, Set<string>>();
    for (const h of handled.filter((x) => x.startMs >= sinceMs && x.ok)) by.set(namespaceOfKey(h.key), new Set([...(by.get(namespaceOfKey(h.key)) ?? []), h.identity]));
    return by;
  };

  it('give each replica its shard\'s namespaces only, take a killed shard\'s keys over, and give them back', async () => {
    // GIVEN three replicas, one at home in each shard
    for (let shard = 0; shard < SHARDS; shard++) await startReplica(`shard-${shard}`, shard);
    await eventually(async () => expect(await Promise.all([0, 1, 2].map(holderOf))).toEqual(['shard-0', 'shard-1', 'shard-2']), 15_000, 100);
    // WHEN every namespace's stream gets an image
    const first = Date.now();
    await pushAll('1');
    // THEN every Deployment follows it, and each namespace's key was handled by its own shard's replica only
    await allAt('1');
    for (const [ns, identities] of handlersSince(first)) expect([ns, [...identities]]).toEqual([ns, [`shard-${shardOf(ns, SHARDS)}`]]);
    expect(handlersSince(first).size).toBe(namespaces.length);
    expect(['shard-0', 'shard-1', 'shard-2'].map((id) => replicas.get(id)!.manager.heldShards)).toEqual([[0], [1], [2]]);

    // WHEN shard 1's replica is killed: cut off (it can neither renew nor release its lease), then stopped
    replicas.get('shard-1')!.partition();
    await replicas.get('shard-1')!.stop();
    const killed = Date.now();
    await pushAll('2');
    // THEN every Deployment follows the new images, shard 1's namespaces by one other replica, after its lease expired
    await allAt('2');
    const standIn = await holderOf(1);
    expect(['shard-0', 'shard-2']).toContain(standIn);
    for (const [ns, identities] of handlersSince(killed)) {
      expect([ns, [...identities]]).toEqual([ns, [shardOf(ns, SHARDS) === 1 ? standIn : `shard-${shardOf(ns, SHARDS)}`]]);
    }
    expect(replicas.get(standIn!)!.manager.heldShards).toContain(1);

    // WHEN shard 1 has a replica again
    await startReplica('shard-1-again', 1);
    // THEN the stand-in gives the lease back, and the new replica handles shard 1's namespaces alone
    await eventually(async () => expect(await holderOf(1)).toBe('shard-1-again'), 15_000, 100);
    expect(replicas.get(standIn!)!.manager.heldShards).not.toContain(1);
    const back = Date.now();
    await pushAll('3');
    await allAt('3');
    for (const [ns, identities] of handlersSince(back)) expect([ns, [...identities]]).toEqual([ns, [shardOf(ns, SHARDS) === 1 ? 'shard-1-again' : `shard-${shardOf(ns, SHARDS)}`]]);

    // AND at no time did two replicas reconcile one key at once
    const byKey = new Map<string, Handled[]>();
    for (const h of handled) byKey.set(h.key, [...(byKey.get(h.key) ?? []), h]);
    for (const runs of byKey.values()) {
      for (const a of runs) for (const b of runs) {
        if (a !== b && a.identity !== b.identity) expect(a.endMs! <= b.startMs || b.endMs! <= a.startMs).toBe(true);
      }
    }
  });
});
