import type { StreamObject } from '../../runtime/imagestreams/streams';
import { age } from '../age';
import { formatTable } from '../table';

/**
 * `imagestreams get is`, like `oc get is`: one row per stream, by name, with its repository, every
 * tag (those of its spec in order, then tags only its status records) and when a tag last moved.
 * kubectl's TAGS column can hold one value only; this one lists them all. Pure.
 */
export function streamTable(streams: readonly StreamObject[], now: number): string {
  if (streams.length === 0) return 'No imagestreams found.\n';
  const rows = [...streams]
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))
    .map((stream) => {
      const specTags = (stream.spec?.tags ?? []).map((t) => t.name);
      const statusTags = (stream.status?.tags ?? []).map((t) => t.tag).filter((t) => !specTags.includes(t));
      const created = (stream.status?.tags ?? []).flatMap((t) => (t.items?.[0]?.created ? [t.items[0].created] : [])).sort();
      const updated = created.at(-1);
      return [stream.metadata.name ?? '', stream.spec?.imageRepository ?? '', [...specTags, ...statusTags].join(','), updated ? age(updated, now) : ''];
    });
  return formatTable(['NAME', 'IMAGE REPOSITORY', 'TAGS', 'UPDATED'], rows);
}
