import type { ResourceClient } from '../kube/client';
import { ConflictError, NotFoundError } from '../kube/errors';
import type { ImageStreamStatus } from '../../api/imagestream';
import { capStatus } from '../../api/object-size';
import { StreamNotFoundError, type StreamObject } from './streams';
import { conflictDelay, DEFAULT_CONFLICT_RETRIES, sleep, type ConflictRetryOptions } from './conflict-backoff';

export type StatusWriteOptions = ConflictRetryOptions;

export interface StatusWrite<R> {
  readonly object: StreamObject;
  readonly computed: R;
  readonly attempts: number;
}


/**
 * Read, compute, write with the read resourceVersion; on 409 wait (conflictDelay), read again and
 * recompute from the fresh object, so that items other writers (importers, the controller, kubectl)
 * recorded are never lost.
 */
export async function writeStatus<R extends { readonly status: ImageStreamStatus }>(
  streams: ResourceClient<StreamObject>,
  name: string,
  compute: (fresh: StreamObject) => R,
  options: StatusWriteOptions = {},
): Promise<StatusWrite<R>> {
  const retries = options.retries ?? DEFAULT_CONFLICT_RETRIES;
  for (let attempt = 1; ; attempt++) {
    const fresh = await readStream(streams, name);
    const computed = compute(fresh);
    try {
      // Never past the size etcd takes: beyond it the status could never be written again.
      const object = await streams.updateStatus({ ...fresh, status: capStatus(fresh, computed.status) } as StreamObject);
      return { object, computed, attempts: attempt };
    } catch (error) {
      if (error instanceof NotFoundError) throw new StreamNotFoundError(streams.ref.namespace ?? '', name);
      if (!(error instanceof ConflictError) || attempt > retries) throw error;
      await (options.sleep ?? sleep)(conflictDelay(attempt));
    }
  }
}

export async function readStream(streams: ResourceClient<StreamObject>, name: string): Promise<StreamObject> {
  try {
    return await streams.get(name);
  } catch (error) {
    if (error instanceof NotFoundError) throw new StreamNotFoundError(streams.ref.namespace ?? '', name);
    throw error;
  }
}
