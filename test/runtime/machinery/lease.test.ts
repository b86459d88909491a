import { describe, expect, it } from 'vitest';
import { claimedLease, microTime, releasedLease } from '../../../lib/runtime/machinery/lease';

const T0 = Date.UTC(2026, 0, 1, 0, 0, 0, 123);

describe('lease records', () => {
  it('writes MicroTime with six fractional digits', () => {
    expect(microTime(T0)).toBe('2026-01-01T00:00:00.123000Z');
  });

  it('creates, renews and takes over', () => {
    // GIVEN a new lease claimed by 'a'
    const created = claimedLease(undefined, 'l', 'ns', 'a', 15, T0);
    expect(created).toEqual({
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l', namespace: 'ns' },
      spec: { holderIdentity: 'a', leaseDurationSeconds: 15, acquireTime: microTime(T0), renewTime: microTime(T0), leaseTransitions: 0 },
    });
    // WHEN 'a' renews THEN only renewTime moves
    const renewed = claimedLease(created, 'l', 'ns', 'a', 15, T0 + 1000);
    expect(renewed.spec).toEqual({ ...created.spec, renewTime: microTime(T0 + 1000) });
    // WHEN 'b' takes over THEN acquireTime moves and a transition is counted
    const taken = claimedLease(renewed, 'l', 'ns', 'b', 15, T0 + 20_000);
    expect(taken.spec).toMatchObject({ holderIdentity: 'b', acquireTime: microTime(T0 + 20_000), leaseTransitions: 1 });
    // WHEN 'b' releases THEN no one holds it
    expect(releasedLease(taken, T0 + 21_000).spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
  });
});
