import { canonicalRegistry, parseReference } from '../../api/image-reference';
import type { ImageStreamObject } from '../../api/imagestream';
import type { RegistryReceiverObject } from '../../api/receiver';
import { isImportable } from '../importer/select-tags';
import type { PushEvent } from './payloads/event';

/** A stream's tags to import now. */
export interface StreamTags {
  readonly namespace: string;
  readonly stream: string;
  readonly tags: readonly string[];
  /** Those of `tags` that follow a tag policy (the pushed tag need not be the one they choose). */
  readonly policyTags: readonly string[];
}

/**
 * The stream tags an event nudges: in the receiver's namespace (only its `streams`, when it lists
 * some), importable tags — not pinned by digest, reference-only or paused — whose source is the
 * event's repository and tag (any tag, when the event names none or the stream tag follows a tag
 * policy, which may now choose the pushed one), at a registry the receiver speaks
 * for: its `registries` when set, else the host the event names (any, when it names none).
 */
export function matchingTags(streams: Iterable<ImageStreamObject>, receiver: RegistryReceiverObject, event: PushEvent): StreamTags[] {
  const namespace = receiver.metadata.namespace ?? '';
  const only = receiver.spec.streams?.length ? new Set(receiver.spec.streams) : undefined;
  const hosts = receiver.spec.registries?.length ? new Set(receiver.spec.registries.map((h) => canonicalRegistry(h.toLowerCase()))) : undefined;
  const hostMatches = (registry: string) => (hosts ? hosts.has(registry) : event.host === undefined || event.host === registry);
  const matches: StreamTags[] = [];
  for (const stream of streams) {
    if ((stream.metadata.namespace ?? '') !== namespace || (only && !only.has(stream.metadata.name))) continue;
    const tags = (stream.spec.tags ?? []).filter(isImportable).filter((tag) => {
      const ref = sourceOf(tag.from.name);
      // A tag with a policy may choose any tag of the repository: every push to it counts.
      return ref !== undefined && ref.digest === undefined && ref.repository === event.repository
        && hostMatches(canonicalRegistry(ref.registry.toLowerCase())) && (event.tag === undefined || tag.tagPolicy !== undefined || ref.tag === event.tag);
    });
    if (tags.length > 0) matches.push({ namespace, stream: stream.metadata.name, tags: tags.map((t) => t.name), policyTags: tags.filter((t) => t.tagPolicy).map((t) => t.name) });
  }
  return matches;
}

function sourceOf(name: string) {
  try {
    return parseReference(name);
  } catch {
    return undefined;
  }
}
