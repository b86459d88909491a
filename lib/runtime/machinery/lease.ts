import type { KubeObject } from '../kube/types';

/** A coordination.k8s.io/v1 Lease. Times are MicroTime: RFC 3339 with microseconds. */
export interface LeaseObject extends KubeObject {
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

export const LEASE_REF = { apiVersion: 'coordination.k8s.io/v1', resource: 'leases' } as const;

export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

/** The lease as it would be after `identity` acquires or renews it at `nowMs`. */
export function claimedLease(current: LeaseObject | undefined, name: string, namespace: string, identity: string, durationSeconds: number, nowMs: number): LeaseObject {
  const spec = current?.spec ?? {};
  const takeover = spec.holderIdentity !== identity;
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: current ? { ...current.metadata } : { name, namespace },
    spec: {
      holderIdentity: identity,
      leaseDurationSeconds: durationSeconds,
      acquireTime: takeover || !spec.acquireTime ? microTime(nowMs) : spec.acquireTime,
      renewTime: microTime(nowMs),
      // Transitions count changes of holder, not the first acquisition of a new lease.
      leaseTransitions: (spec.leaseTransitions ?? 0) + (current && takeover ? 1 : 0),
    },
  };
}

/** Released: no holder, so the next candidate need not wait for expiry. */
export function releasedLease(current: LeaseObject, nowMs: number): LeaseObject {
  return { ...current, spec: { ...current.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(nowMs) } };
}
