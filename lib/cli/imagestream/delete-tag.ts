import type { StreamTagRef } from '../../api/stream-tag';
import type { ResourceClient } from '../../runtime/kube/client';
import type { StreamObject } from '../../runtime/imagestreams/streams';
import { readStream, writeStatus, type StatusWriteOptions } from '../../runtime/imagestreams/write-status';
import { tagNotFound } from './history';
import { checkPush } from './tag-image';
import { writeSpecTags, type SpecWriteOptions } from './write-spec';

export interface DeleteTagOptions {
  readonly tag: Required<StreamTagRef>;
  /** The namespace the command acts from: deleting in another namespace needs the stream's Push grant. @default - the tag's */
  readonly actor?: string;
  readonly write?: SpecWriteOptions & StatusWriteOptions;
}

/**
 * Deletes a tag from its stream, as `oc tag -d`: its spec tag in one write (so no import, trigger or
 * build follows it from then on), then its history. A tag with neither is not found. Anything left of
 * the history if the second write doesn't happen is dropped by the next import of the stream, which
 * keeps status only for tags in the spec.
 */
export async function deleteTag(streams: ResourceClient<StreamObject>, options: DeleteTagOptions): Promise<void> {
  const { tag } = options;
  checkPush(await readStream(streams, tag.stream), options.actor ?? tag.namespace);
  await writeSpecTags(streams, tag.stream, (fresh) => {
    const inSpec = fresh.spec.tags?.some((t) => t.name === tag.tag);
    const inStatus = fresh.status?.tags?.some((t) => t.tag === tag.tag);
    if (!inSpec && !inStatus) throw tagNotFound(fresh, tag.tag);
    return { tags: inSpec ? (fresh.spec.tags ?? []).filter((t) => t.name !== tag.tag) : undefined, result: undefined };
  }, options.write);
  await writeStatus(streams, tag.stream, (fresh) => ({ status: { ...fresh.status, tags: (fresh.status?.tags ?? []).filter((t) => t.tag !== tag.tag) } }), options.write);
}
