import type { TagEvent } from '../../api/imagestream';
import { formatStreamTag, type QualifiedStreamTag } from '../../api/stream-tag';
import type { KubeClient } from '../../runtime/kube/client';
import { imageStreams, type StreamObject } from '../../runtime/imagestreams/streams';
import { StreamTagError } from './errors';
import { history } from './history';

/** One link of an image's chain: the stream tag whose history holds it, and what that item says of it. */
export interface ChainLink {
  readonly tag: QualifiedStreamTag;
  readonly item: TagEvent;
  /** The tag's source when it imports: the image it was imported from. */
  readonly importedFrom?: string;
}

/** Where a chain stops short of an imported image: a base no stream's history holds. */
export interface ChainEnd {
  readonly links: readonly ChainLink[];
  readonly unknownBase?: string;
}

/**
 * The chain of an image, down to an imported base: the tag's newest item, then the item (of any tag
 * of the namespace's streams, newest first) whose digest is that item's base, and so on. Built items
 * name their base (the controller records it from the build); an item without one ends the chain.
 */
export async function provenanceChain(kube: KubeClient, start: QualifiedStreamTag): Promise<ChainEnd> {
  const cache = new Map<string, readonly StreamObject[]>();
  const streamsOf = async (namespace: string) => {
    if (!cache.has(namespace)) cache.set(namespace, (await imageStreams(kube, namespace).list()).items);
    return cache.get(namespace)!;
  };
  const first = (await streamsOf(start.namespace)).find((s) => s.metadata.name === start.stream);
  if (!first) throw new StreamTagError(`imagestream "${start.stream}" not found (namespace "${start.namespace}")`);
  const newest = history(first, start.tag)[0];
  if (!newest) throw new StreamTagError(`${formatStreamTag(start)} has no image yet`);
  const links: ChainLink[] = [link(first, start.tag, newest)];
  const seen = new Set([newest.image]);
  for (let item = newest; item.baseImage;) {
    const digest = item.baseImage.slice(item.baseImage.lastIndexOf('@') + 1);
    if (seen.has(digest)) break;
    seen.add(digest);
    const found = holderOf(await streamsOf(start.namespace), digest);
    if (!found) return { links, unknownBase: item.baseImage };
    links.push(found);
    item = found.item;
  }
  return { links };
}

function holderOf(streams: readonly StreamObject[], digest: string): ChainLink | undefined {
  const sorted = [...streams].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  for (const stream of sorted) {
    for (const list of stream.status?.tags ?? []) {
      const item = list.items?.find((i) => i.image === digest);
      if (item) return link(stream, list.tag, item);
    }
  }
  return undefined;
}

function link(stream: StreamObject, tag: string, item: TagEvent): ChainLink {
  const from = stream.spec.tags?.find((t) => t.name === tag)?.from;
  return {
    tag: { namespace: stream.metadata.namespace ?? 'default', stream: stream.metadata.name, tag },
    item,
    ...(from?.kind === 'DockerImage' ? { importedFrom: from.name } : {}),
  };
}

/** The chain as lines: each image, then how it was made (built: run, commit, base; imported: from where). */
export function formatChain(chain: ChainEnd, namespace: string): string {
  const lines: string[] = [];
  for (const { tag, item, importedFrom } of chain.links) {
    lines.push(`${formatStreamTag(tag, namespace)}  ${item.dockerImageReference}`);
    if (item.build) lines.push(`  built by ${item.build}${item.commit ? ` from commit ${item.commit}` : ''}`);
    if (item.baseImage) lines.push(`  on ${item.baseImage}`);
    if (item.promotedFrom) lines.push(`  promoted from ${item.promotedFrom}`);
    if (!item.build && importedFrom) lines.push(`  imported from ${importedFrom}`);
  }
  if (chain.unknownBase) lines.push(`${chain.unknownBase}  (no stream of namespace "${chain.links[0].tag.namespace}" records this base)`);
  return `${lines.join('\n')}\n`;
}
