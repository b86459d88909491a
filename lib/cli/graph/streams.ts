import type { ImageStreamSpec, TagSpec } from '../../api/imagestream';
import { shortDuration } from '../../api/duration';
import { imageKey, tagKey, type GraphBuilder } from './model';
import type { ObjectManifest } from './manifests';

/**
 * An ImageStream's tags and where each gets its images: an external image (imported on a schedule,
 * or once) or another tag it follows (an alias).
 */
export function addImageStream(graph: GraphBuilder, stream: ObjectManifest): void {
  const { namespace, name } = stream.metadata;
  const spec = (stream.spec ?? {}) as ImageStreamSpec;
  for (const tag of spec.tags ?? []) {
    const key = graph.node('tag', tagKey(namespace, `${name}:${tag.name}`), `${namespace}/${name}:${tag.name}`);
    const from = tag.from;
    if (from?.kind === 'DockerImage') {
      const source = graph.node('image', imageKey(from.name), from.name);
      const scheduled = importLabel(tag);
      graph.edge(source, key, scheduled ?? (tag.reference ? 'reference' : 'import (once)'), scheduled !== undefined);
    } else if (from?.kind === 'ImageStreamTag') {
      const ns = from.namespace || namespace;
      const streamTag = from.name.includes(':') ? from.name : `${from.name}:latest`;
      const source = graph.node('tag', tagKey(ns, streamTag), `${ns}/${streamTag}`);
      graph.edge(source, key, tag.reference ? 'reference' : 'alias', !tag.reference);
    }
  }
}

/** 'scheduled import every 15m', or undefined when the tag is not imported on a schedule (or paused). */
function importLabel(tag: TagSpec): string | undefined {
  const policy = tag.importPolicy;
  if (!policy?.scheduled || policy.paused || tag.reference) return undefined;
  return policy.intervalSeconds ? `scheduled import every ${shortDuration(policy.intervalSeconds)}` : 'scheduled import';
}
