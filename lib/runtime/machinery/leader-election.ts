import type { KubeClient, ResourceClient } from '../kube/client';
import { ConflictError, NotFoundError } from '../kube/errors';
import { sleep } from '../kube/watch';
import { claimedLease, LEASE_REF, releasedLease, type LeaseObject } from './lease';
import { errorText, type Logger } from './logger';

export interface LeaderElectionOptions {
  readonly namespace: string;
  /** @default 'imagestreams-controller' */
  readonly name?: string;
  /** Unique per replica (the pod name). */
  readonly identity: string;
  /** How long a lease is good for after its last renewal. @default 15_000 */
  readonly leaseDurationMs?: number;
  /** A leader that could not renew for this long steps down (must be < leaseDurationMs). @default 10_000 */
  readonly renewDeadlineMs?: number;
  /** Between attempts to acquire or renew. @default 2_000 */
  readonly retryPeriodMs?: number;
  /**
   * Sharing leases among shards: `home` is the replica whose shard the lease is; a `standIn` is
   * another shard's, which takes the lease only `patienceMs` after it expired (or was released, or
   * while it does not exist), so that the home replicas go first, and gives it back — releases it —
   * when a home replica asks (the annotation HOME_CANDIDATE_ANNOTATION on the Lease).
   * @default - neither: one lease, every replica alike
   */
  readonly role?: 'home' | 'standIn';
  /** A stand-in's wait beyond expiry. @default 0 */
  readonly patienceMs?: number;
}

/** Set on a Lease by a home replica waiting for it while a stand-in holds it. */
export const HOME_CANDIDATE_ANNOTATION = 'imagestreams.dev/home-candidate';

/**
 * Leader election over a Lease, as client-go does it: a candidate takes the lease when it is free
 * or expired, the leader renews it every retry period, and a leader that cannot renew before the
 * renew deadline steps down, so that two leaders overlap by at most the gap between the renew
 * deadline and the lease duration. Every write carries the read resourceVersion: of two candidates
 * racing, one gets 409 and keeps waiting.
 *
 * Expiry is judged by this replica's own clock, from when it last saw the lease change, not by
 * comparing renewTime with the local time: clocks of nodes differ.
 */
export class LeaderElector {
  private readonly leases: ResourceClient<LeaseObject>;
  private readonly name: string;
  private readonly durationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryMs: number;
  private observed?: { record: string; atMs: number };
  private missingSinceMs?: number;
  private leading = false;
  /** A home replica asked for the lease (seen by a stand-in holding it). */
  private homeWaiting = false;

  constructor(client: KubeClient, private readonly options: LeaderElectionOptions, private readonly log: Logger) {
    this.leases = client.resource<LeaseObject>({ ...LEASE_REF, namespace: options.namespace });
    this.name = options.name ?? 'imagestreams-controller';
    this.durationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryMs = options.retryPeriodMs ?? 2_000;
    if (this.renewDeadlineMs >= this.durationMs) throw new Error(`'renewDeadlineMs' (${this.renewDeadlineMs}) must be less than 'leaseDurationMs' (${this.durationMs})`);
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** Waits until this replica holds the lease; false when `signal` aborted first. */
  async acquire(signal: AbortSignal): Promise<boolean> {
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew()) {
        this.log.log('info', 'became leader', { lease: `${this.options.namespace}/${this.name}`, identity: this.options.identity });
        return (this.leading = true);
      }
      await sleep(this.retryMs, signal);
    }
    return false;
  }

  /**
   * Renews until a renewal fails for longer than the renew deadline ('lost'), a stand-in is asked for
   * the lease by a home replica ('yielded': the caller stops its work, then release()s), or `signal`
   * aborts ('stopped').
   */
  async hold(signal: AbortSignal): Promise<'lost' | 'yielded' | 'stopped'> {
    let lastRenewMs = Date.now();
    while (!signal.aborted) {
      await sleep(this.retryMs, signal);
      if (signal.aborted) break;
      if (await this.tryAcquireOrRenew()) {
        lastRenewMs = Date.now();
        if (this.options.role === 'standIn' && this.homeWaiting) {
          this.log.log('info', 'giving a shard lease back to its home replica', { lease: `${this.options.namespace}/${this.name}`, identity: this.options.identity });
          return 'yielded';
        }
      } else if (Date.now() - lastRenewMs >= this.renewDeadlineMs) {
        this.leading = false;
        this.log.log('warn', 'lost leadership: could not renew the lease', { identity: this.options.identity });
        return 'lost';
      }
    }
    return 'stopped';
  }

  /** Gives the lease up at once (graceful shutdown), so that another replica need not wait for expiry. */
  async release(): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    try {
      const current = await this.leases.get(this.name);
      if (current.spec?.holderIdentity === this.options.identity) await this.leases.update(releasedLease(current, Date.now()));
    } catch (error) {
      this.log.log('warn', 'could not release the lease', { error: errorText(error) });
    }
  }

  /** One attempt; true when this replica holds the lease afterwards. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const now = Date.now();
    const { identity, namespace } = this.options;
    const seconds = Math.max(1, Math.ceil(this.durationMs / 1000));
    try {
      const current = await this.getLease();
      if (!current && !this.mayCreate(now)) return false;
      this.homeWaiting = (current?.metadata.annotations?.[HOME_CANDIDATE_ANNOTATION] ?? identity) !== identity;
      if (current && current.spec?.holderIdentity !== identity && !this.expired(current, now)) {
        if (this.options.role === 'home') await this.askForLease(current);
        return false;
      }
      const lease = claimedLease(current, this.name, namespace, identity, seconds, now);
      if (current?.spec?.holderIdentity !== identity && lease.metadata.annotations?.[HOME_CANDIDATE_ANNOTATION] !== undefined) {
        // Taken over: whoever asked has been answered (or is gone, and asks again if not).
        const { [HOME_CANDIDATE_ANNOTATION]: _, ...annotations } = lease.metadata.annotations;
        lease.metadata = { ...lease.metadata, annotations };
      }
      const written = current ? await this.leases.update(lease) : await this.leases.create(lease);
      this.observe(written, Date.now());
      return true;
    } catch (error) {
      if (!(error instanceof ConflictError)) this.log.log('warn', 'lease request failed', { error: errorText(error) });
      return false;
    }
  }

  private async getLease(): Promise<LeaseObject | undefined> {
    try {
      const lease = await this.leases.get(this.name);
      this.observe(lease, Date.now());
      this.missingSinceMs = undefined;
      return lease;
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  /** A stand-in creates a missing lease only after its patience: the home replica may be starting. */
  private mayCreate(nowMs: number): boolean {
    this.missingSinceMs ??= nowMs;
    return this.options.role !== 'standIn' || this.missingSinceMs + (this.options.patienceMs ?? 0) <= nowMs;
  }

  /** A home replica marks the lease a stand-in holds as wanted (once: the mark stays until someone takes it). */
  private async askForLease(current: LeaseObject): Promise<void> {
    if (current.metadata.annotations?.[HOME_CANDIDATE_ANNOTATION] === this.options.identity) return;
    await this.leases.mergePatch(this.name, { metadata: { annotations: { [HOME_CANDIDATE_ANNOTATION]: this.options.identity } } });
  }

  private observe(lease: LeaseObject, atMs: number): void {
    const record = JSON.stringify(lease.spec ?? {});
    if (this.observed?.record !== record) this.observed = { record, atMs };
  }

  private expired(lease: LeaseObject, nowMs: number): boolean {
    const patienceMs = this.options.role === 'standIn' ? this.options.patienceMs ?? 0 : 0;
    if (!lease.spec?.holderIdentity) return patienceMs === 0 || (this.observed !== undefined && this.observed.atMs + patienceMs <= nowMs);
    const durationMs = (lease.spec.leaseDurationSeconds ?? 0) * 1000;
    return this.observed !== undefined && this.observed.atMs + durationMs + patienceMs <= nowMs;
  }
}
