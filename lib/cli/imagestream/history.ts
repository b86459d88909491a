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
 *
 * `at`: the stream generation of the spec write that made this image the tag's (imagestreams tag).
 * The item then goes where that write falls among the tag's items (newest first by generation): when
 * several writers tag at once, their status writes may land in another order than their spec writes,
 * and history still lists each image once, in the order the tag pointed at them, the newest being
 * the one the spec names.
 */
export function prependItem(stream: ImageStreamObject, tag: string, image: Pick<TagEvent, 'image' | 'dockerImageReference'>, now: string, dropConditions = false, at?: number): PrependedStatus {
  const lists = [...(stream.status?.tags ?? [])];
  const index = lists.findIndex((t) => t.tag === tag);
  const current: NamedTagEventList = index === -1 ? { tag } : lists[index];
  const ctx = { now, limit: stream.spec.historyLimit ?? DEFAULT_HISTORY_LIMIT, generation: at ?? stream.metadata.generation };
  const items = at === undefined ? withNewest(current.items ?? [], image, ctx) : inGenerationOrder(current.items ?? [], { ...image, created: now, generation: at }, ctx.limit);
  const { conditions, ...rest } = current;
  const next: NamedTagEventList = { ...rest, items, ...(conditions && !dropConditions ? { conditions } : {}) };
  if (index === -1) lists.push(next);
  else lists[index] = next;
  const order = (stream.spec.tags ?? []).map((t) => t.name);
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  lists.sort((a, b) => rank(a.tag) - rank(b.tag));
  const before = current.items?.[0];
  return { status: { ...stream.status, tags: lists }, moved: !sameImage(items[0], before) };
}

/** `item` placed before the first item of an older generation; nothing added when it is there already or would repeat its newer neighbour. */
function inGenerationOrder(items: readonly TagEvent[], item: TagEvent, limit: number): TagEvent[] {
  const generation = item.generation ?? 0;
  if (items.some((i) => sameImage(i, item) && i.generation === generation)) return [...items];
  const older = items.findIndex((i) => (i.generation ?? 0) < generation);
  const at = older === -1 ? items.length : older;
  if (sameImage(items[at - 1], item) || (at === 0 && sameImage(items[0], item))) return [...items];
  return [...items.slice(0, at), item, ...items.slice(at)].slice(0, limit);
}

function sameImage(a: Pick<TagEvent, 'image' | 'dockerImageReference'> | undefined, b: Pick<TagEvent, 'image' | 'dockerImageReference'> | undefined): boolean {
  return a?.image === b?.image && a?.dockerImageReference === b?.dockerImageReference;
}
