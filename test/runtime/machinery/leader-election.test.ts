import { describe, expect, it } from 'vitest';
import { LeaderElector } from '../../../lib/runtime/machinery/leader-election';
import type { LeaseObject } from '../../../lib/runtime/machinery/lease';
import { silentLogger } from '../../../lib/runtime/machinery/logger';
import { useTestKube } from '../../support/kube';
import { eventually } from '../controller/eventually';

describe('LeaderElector', () => {
  const cluster = useTestKube('leader-election');

  const elector = (name: string, identity: string, leaseDurationMs = 1000) =>
    new LeaderElector(cluster.kube, { namespace: cluster.namespace, name, identity, leaseDurationMs, renewDeadlineMs: leaseDurationMs / 2, retryPeriodMs: 50 }, silentLogger);
  const lease = (name: string) => cluster.kube.resource<LeaseObject>({ apiVersion: 'coordination.k8s.io/v1', resource: 'leases', namespace: cluster.namespace }).get(name);

  it('creates the lease when there is none, and renews it', async () => {
    // GIVEN no lease
    const a = elector('create', 'a');
    // WHEN 'a' tries twice
    expect(await a.tryAcquireOrRenew()).toBe(true);
    const first = await lease('create');
    expect(await a.tryAcquireOrRenew()).toBe(true);
    // THEN it holds a lease with its identity and duration, renewed (newer renewTime, same acquireTime, no transition)
    const second = await lease('create');
    expect(first.spec).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 1, leaseTransitions: 0 });
    expect(second.spec?.acquireTime).toBe(first.spec?.acquireTime);
    expect(second.spec!.renewTime! > first.spec!.renewTime!).toBe(true);
    expect(first.spec?.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('does not take a lease held by another until it expires, then counts a transition', async () => {
    // GIVEN 'a' holds the lease and stops renewing
    const a = elector('expire', 'a');
    const b = elector('expire', 'b');
    expect(await a.tryAcquireOrRenew()).toBe(true);
    // WHEN 'b' tries at once
    // THEN it fails while the lease is fresh
    expect(await b.tryAcquireOrRenew()).toBe(false);
    // AND succeeds once the duration has passed since it first saw that record
    await eventually(async () => expect(await b.tryAcquireOrRenew()).toBe(true), 5000, 100);
    expect((await lease('expire')).spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    // AND 'a' cannot renew any more
    expect(await a.tryAcquireOrRenew()).toBe(false);
  });

  it('lets exactly one of two racing candidates win (optimistic concurrency)', async () => {
    // GIVEN a released lease (no holder) that two candidates see at once
    const a = elector('race', 'a');
    const b = elector('race', 'b');
    const c = elector('race', 'c');
    await c.acquire(new AbortController().signal);
    await c.release();
    // WHEN both try at the same time
    const results = await Promise.all([a.tryAcquireOrRenew(), b.tryAcquireOrRenew()]);
    // THEN exactly one holds it
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await lease('race')).spec?.holderIdentity).toBe(results[0] ? 'a' : 'b');
  });

  it('releases the lease so another candidate need not wait', async () => {
    // GIVEN 'a' leading a 60 s lease
    const a = elector('release', 'a', 60_000);
    const b = elector('release', 'b', 60_000);
    expect(await a.acquire(new AbortController().signal)).toBe(true);
    expect(a.isLeader).toBe(true);
    // WHEN it releases
    await a.release();
    // THEN the holder is cleared and 'b' acquires at once
    expect((await lease('release')).spec?.holderIdentity).toBe('');
    expect(await b.tryAcquireOrRenew()).toBe(true);
    expect(a.isLeader).toBe(false);
  });

  it('steps down when it cannot renew within the renew deadline', async () => {
    // GIVEN 'a' leading, and 'b' taking the lease over by force (as after a partition)
    const a = elector('steal', 'a');
    const abort = new AbortController();
    await a.acquire(abort.signal);
    const holding = a.hold(abort.signal);
    const leases = cluster.kube.resource<LeaseObject>({ apiVersion: 'coordination.k8s.io/v1', resource: 'leases', namespace: cluster.namespace });
    const current = await leases.get('steal');
    await leases.update({ ...current, spec: { ...current.spec, holderIdentity: 'b', leaseDurationSeconds: 60 } });
    // THEN hold() ends with 'lost'
    expect(await holding).toBe('lost');
    expect(a.isLeader).toBe(false);
  });

  it('rejects a renew deadline that is not shorter than the lease', () => {
    expect(() => new LeaderElector(cluster.kube, { namespace: cluster.namespace, identity: 'x', leaseDurationMs: 1000, renewDeadlineMs: 1000 }, silentLogger))
      .toThrowError("'renewDeadlineMs' (1000) must be less than 'leaseDurationMs' (1000)");
  });
});
