import type { TagSpec } from '../../api/imagestream';
import type { ResourceClient } from '../../runtime/kube/client';
import { ConflictError, NotFoundError } from '../../runtime/kube/errors';
import { readStream } from '../../runtime/imagestreams/write-status';
import { StreamNotFoundError, type StreamObject } from '../../runtime/imagestreams/streams';
import { conflictDelay, DEFAULT_CONFLICT_RETRIES, sleep, type ConflictRetryOptions } from '../../runtime/imagestreams/conflict-backoff';

export type SpecWriteOptions = ConflictRetryOptions;

export interface SpecWrite<R> {
  /** The stream as written, or as read when nothing changed. */
  readonly object: StreamObject;
  readonly computed: R;
  readonly attempts: number;
}

/** What a spec edit computes from the fresh stream: the new tag list (undefined: no change) and a report. */
export interface SpecEdit<R> {
  readonly tags?: readonly TagSpec[];
  readonly result: R;
}

/**
 * Read, compute, merge-patch spec.tags with the read resourceVersion as a precondition: one write,
 * which applies whole or not at all; on 409 wait (exponential back-off with jitter), read again and
 * recompute. A merge patch replaces the whole list, so the precondition is what keeps a concurrent
 * edit of another tag from being lost. `compute` may throw to refuse the edit.
 */
export async function writeSpecTags<R>(
  streams: ResourceClient<StreamObject>,
  name: string,
  compute: (fresh: StreamObject) => SpecEdit<R>,
  options: SpecWriteOptions = {},
): Promise<SpecWrite<R>> {
  const retries = options.retries ?? DEFAULT_CONFLICT_RETRIES;
  for (let attempt = 1; ; attempt++) {
    const fresh = await readStream(streams, name);
    const edit = compute(fresh);
    if (edit.tags === undefined) return { object: fresh, computed: edit.result, attempts: attempt };
    const patch = { metadata: { resourceVersion: fresh.metadata.resourceVersion }, spec: { tags: edit.tags } };
    try {
      const object = await streams.mergePatch(name, patch);
      return { object, computed: edit.result, attempts: attempt };
    } catch (error) {
      if (error instanceof NotFoundError) throw new StreamNotFoundError(streams.ref.namespace ?? '', name);
      if (!(error instanceof ConflictError) || attempt > retries) throw error;
      await (options.sleep ?? sleep)(conflictDelay(attempt));
    }
  }
}

/** The tag list with `tag` put in place of the spec tag of the same name, or appended. */
export function withTag(tags: readonly TagSpec[] | undefined, tag: TagSpec): TagSpec[] {
  const list = [...(tags ?? [])];
  const at = list.findIndex((t) => t.name === tag.name);
  if (at === -1) return [...list, tag];
  list[at] = tag;
  return list;
}
