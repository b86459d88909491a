import type { ImageStreamSpec, TagSpec } from '../../api/imagestream';
import { shortDuration } from '../../api/duration';
import { mirrorsOnImport } from '../../api/mirror';
import { imageKey, tagKey, type GraphBuilder } from './model';
import type { ObjectManifest } from './manifests';
import { pushLabels, type ReceiverManifest } from './receivers';

/**
 * An ImageStream's tags and where each gets its images: an external image (imported on a schedule,
 * or once; for a referencePolicy Local tag, copied into the stream's registry, which the edge names),
 * another tag it follows (an alias), or one image of a stream's history it is pinned to (ImageStreamImage).
 */
export function addImageStream(graph: GraphBuilder, stream: ObjectManifest, receivers: readonly ReceiverManifest[] = []): void {
  const { namespace, name } = stream.metadata;
  const spec = (stream.spec ?? {}) as ImageStreamSpec;
  for (const tag of spec.tags ?? []) {
    const key = graph.node('tag', tagKey(namespace, `${name}:${tag.name}`), `${namespace}/${name}:${tag.name}`);
    const from = tag.from;
    if (from?.kind === 'DockerImage') {
      const source = graph.node('image', imageKey(from.name), from.name);
      const scheduled = importLabel(tag);
      // Pushes nudge imported tags, not reference-only or pinned ones (a digest never moves).
      const pushes = tag.reference || from.name.includes('@') || tag.importPolicy?.paused ? [] : pushLabels(receivers, namespace, name, from.name);
      const how = [policyLabel(tag), ...pushes, scheduled ?? (tag.reference ? 'reference' : 'import (once)'), mirrorLabel(spec, tag)].filter(Boolean).join(', ');
      graph.edge(source, key, how, scheduled !== undefined || pushes.length > 0);
    } else if (tag.promotion) {
      const ns = tag.promotion.from.namespace || namespace;
      const source = graph.node('tag', tagKey(ns, tag.promotion.from.name), `${ns}/${tag.promotion.from.name}`);
      graph.edge(source, key, promotionLabel(tag.promotion), true);
    } else if (from?.kind === 'ImageStreamTag') {
      const ns = from.namespace || namespace;
      const streamTag = from.name.includes(':') ? from.name : `${from.name}:latest`;
      const source = graph.node('tag', tagKey(ns, streamTag), `${ns}/${streamTag}`);
      graph.edge(source, key, tag.reference ? 'reference' : 'alias', !tag.reference);
    } else if (from?.kind === 'ImageStreamImage') {
      // One image of another stream's history: pinned, so nothing that stream does moves this tag.
      const image = `${from.namespace || namespace}/${from.name}`;
      graph.edge(graph.node('image', imageKey(image), image), key, 'pinned (ImageStreamImage)', false);
    }
  }
}

/** Where a Local tag's images are copied on import (the copy consumers pull): `copied into REPOSITORY`. */
function mirrorLabel(spec: ImageStreamSpec, tag: TagSpec): string | undefined {
  if (!mirrorsOnImport(tag)) return undefined;
  return spec.imageRepository ? `copied into ${spec.imageRepository}` : 'copied into (no registry: imports fail)';
}

/** 'scheduled import every 15m', or undefined when the tag is not imported on a schedule (or paused). */
function importLabel(tag: TagSpec): string | undefined {
  const policy = tag.importPolicy;
  if (!policy?.scheduled || policy.paused || tag.reference) return undefined;
  return policy.intervalSeconds ? `scheduled import every ${shortDuration(policy.intervalSeconds)}` : 'scheduled import';
}

/** `semver '>=1.27 <1.28' (pre-releases)`, `numerical asc of /^main-…$/ → $ts`, …; undefined without a policy. */
function policyLabel(tag: TagSpec): string | undefined {
  const p = tag.tagPolicy;
  if (!p) return undefined;
  const rule = p.semver ? `semver '${p.semver.range}'${p.semver.prereleases ? ' (pre-releases)' : ''}`
    : p.numerical ? `numerical ${p.numerical.order ?? 'asc'}` : `alphabetical ${p.alphabetical?.order ?? 'asc'}`;
  const filter = p.filterTags ? ` of /${p.filterTags.pattern}/${p.filterTags.extract ? ` → ${p.filterTags.extract}` : ''}` : '';
  return `policy: ${rule}${filter}`;
}

/** `promotes after 30m soak and rollout`. */
function promotionLabel(promotion: NonNullable<TagSpec['promotion']>): string {
  const gates = [promotion.soakSeconds ? `${shortDuration(promotion.soakSeconds)} soak` : undefined, promotion.requireRollout ? 'rollout' : undefined].filter(Boolean);
  return gates.length ? `promotes after ${gates.join(' and ')}` : 'promotes';
}
