import { DEFAULT_HISTORY_LIMIT, type ImageStreamObject, type ImageStreamStatus, type NamedTagEventList, type TagEvent, type TagSpec } from '../../api/imagestream';
import { withNewest } from '../../runtime/imagestreams/merge-status';
import { StreamTagError } from './errors';

/** The spec tag, or a StreamTagError naming the stream and namespace. */
export function specTag(stream: ImageStreamObject, tag: string): TagSpec {
  const found = stream.spec.tags?.find((t) => t.name === tag);
  if (!found) throw tagNotFound(stream, tag);
  return found;
}

export function tagNotFound(stream: ImageStreamObject, tag: string): StreamTagError {
  return new StreamTagError(`tag "${tag}" not found in imagestream "${stream.metadata.name}" (namespace "${stream.metadata.namespace}")`);
}

/** The tag's history, newest first (empty when it has none). */
export function history(stream: ImageStreamObject, tag: string): readonly TagEvent[] {
  return stream.status?.tags?.find((t) => t.tag === tag)?.items ?? [];
}

export interface PrependedStatus {
  readonly status: ImageStreamStatus;
  /** False when the image was the tag's newest item already (nothing added). */
  readonly moved: boolean;
}

/**
 * The status with `image` as the tag's newest item, created `now`, as an import records it: no item
 * when it is the newest already, history trimmed to historyLimit, tags kept in spec order.
 * `dropConditions` forgets import conditions that described an earlier source.
 */
export function prependItem(stream: ImageStreamObject, tag: string, image: Pick<TagEvent, 'image' | 'dockerImageReference'>, now: string, dropConditions = false): PrependedStatus {
  const lists = [...(stream.status?.tags ?? [])];
  const at = lists.findIndex((t) => t.tag === tag);
  const current: NamedTagEventList = at === -1 ? { tag } : lists[at];
  const ctx = { now, limit: stream.spec.historyLimit ?? DEFAULT_HISTORY_LIMIT, generation: stream.metadata.generation };
  const items = withNewest(current.items ?? [], image, ctx);
  const { conditions, ...rest } = current;
  const next: NamedTagEventList = { ...rest, items, ...(conditions && !dropConditions ? { conditions } : {}) };
  if (at === -1) lists.push(next);
  else lists[at] = next;
  const order = (stream.spec.tags ?? []).map((t) => t.name);
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  lists.sort((a, b) => rank(a.tag) - rank(b.tag));
  const before = current.items?.[0];
  return { status: { ...stream.status, tags: lists }, moved: items[0]?.image !== before?.image || items[0]?.dockerImageReference !== before?.dockerImageReference };
}
