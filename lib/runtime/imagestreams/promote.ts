import { DEFAULT_HISTORY_LIMIT, type ImageStreamObject, type ImageStreamStatus, type NamedTagEventList, type TagEvent } from '../../api/imagestream';

/**
 * The status with a promoted image as `tag`'s newest item, noting where it came from: nothing added
 * when the tag's newest is that image already; history trimmed to historyLimit; tags in spec order.
 */
export function withPromoted(stream: ImageStreamObject, tag: string, item: Pick<TagEvent, 'image' | 'dockerImageReference'>, promotedFrom: string, now: string): { status: ImageStreamStatus; moved: boolean } {
  const lists = [...(stream.status?.tags ?? [])];
  const index = lists.findIndex((t) => t.tag === tag);
  const current: NamedTagEventList = index === -1 ? { tag } : lists[index];
  const newest = current.items?.[0];
  if (newest?.image === item.image && newest.dockerImageReference === item.dockerImageReference) return { status: stream.status ?? {}, moved: false };
  const event: TagEvent = { dockerImageReference: item.dockerImageReference, image: item.image, created: now, generation: stream.metadata.generation, promotedFrom };
  const next: NamedTagEventList = { ...current, items: [event, ...(current.items ?? [])].slice(0, stream.spec.historyLimit ?? DEFAULT_HISTORY_LIMIT) };
  if (index === -1) lists.push(next);
  else lists[index] = next;
  const order = (stream.spec.tags ?? []).map((t) => t.name);
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  lists.sort((a, b) => rank(a.tag) - rank(b.tag));
  return { status: { ...stream.status, tags: lists }, moved: true };
}
