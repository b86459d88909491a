import { accessDeniedMessage, mayAccess } from '../../api/grants';
import type { TagImportPolicy } from '../../api/imagestream';
import { aliasTarget, formatStreamTag, streamTagKey, type QualifiedStreamTag } from '../../api/stream-tag';
import type { StreamObject } from '../../runtime/imagestreams/streams';
import { StreamTagError } from './errors';
import { findStreamImage, invalidStreamImage, streamImageNotFound, streamImageRef } from '../../api/stream-image';
import { history, tagNotFound } from './history';

/** What a stream tag points at now, as `imagestreams tag` copies it. */
export type SourceImage =
  /** An image by digest: the newest history item of the tag (or of the tag its alias chain ends at). */
  | { readonly kind: 'image'; readonly image: string; readonly dockerImageReference: string; readonly policy: Pick<TagImportPolicy, 'insecure' | 'importMode'> }
  /** A reference tag (`reference: true`): the external image as written, never imported. */
  | { readonly kind: 'reference'; readonly reference: string };

/** Alias chains longer than this are treated as cycles. */
const MAX_ALIAS_DEPTH = 32;

/**
 * The image `src` points at, read as a stream of namespace `reader` may: any kind of tag — imported,
 * pinned, a build's output, a reference tag, or an alias (followed to its end, as the controller
 * does). Each step into another namespace needs that stream's Pull grant for the namespace it comes
 * from. Throws a StreamTagError saying what is missing.
 */
export async function sourceImage(read: (namespace: string, name: string) => Promise<StreamObject>, src: QualifiedStreamTag, reader: string): Promise<SourceImage> {
  const seen: string[] = [];
  for (let at = src, from = reader; ; ) {
    const here = streamTagKey(at);
    if (seen.includes(here) || seen.length > MAX_ALIAS_DEPTH) throw new StreamTagError(`alias tags form a cycle: ${[...seen, here].join(' -> ')}`);
    seen.push(here);
    const stream = await read(at.namespace, at.stream);
    if (!mayAccess(stream, from, 'Pull')) throw new StreamTagError(accessDeniedMessage(stream, from, 'Pull'));
    const spec = stream.spec.tags?.find((t) => t.name === at.tag);
    if (spec?.from?.kind === 'ImageStreamTag') {
      from = at.namespace;
      at = aliasTarget(spec.from, at);
      continue;
    }
    if (spec?.from?.kind === 'ImageStreamImage') return streamImage(read, spec.from, at);
    if (spec?.reference && spec.from?.kind === 'DockerImage') return { kind: 'reference', reference: spec.from.name };
    const newest = history(stream, at.tag)[0];
    if (!newest) {
      if (!spec) throw tagNotFound(stream, at.tag);
      const hint = spec.from?.kind === 'DockerImage' ? `: import it first (imagestreams import-image ${at.stream} -n ${at.namespace})` : '';
      throw new StreamTagError(`"${formatStreamTag(at, reader)}" has no image yet${hint}`);
    }
    const { insecure, importMode } = spec?.importPolicy ?? {};
    const policy = { ...(insecure !== undefined ? { insecure } : {}), ...(importMode !== undefined ? { importMode } : {}) };
    return { kind: 'image', image: newest.image, dockerImageReference: newest.dockerImageReference, policy };
  }
}

/** A tag from an ImageStreamImage: that image of the named stream's history (which must grant Pull to the tag's namespace). */
async function streamImage(read: (namespace: string, name: string) => Promise<StreamObject>, from: { name: string; namespace?: string }, at: QualifiedStreamTag): Promise<SourceImage> {
  const ref = streamImageRef(from, at.namespace);
  if (!ref) throw new StreamTagError(`"${streamTagKey(at)}": ${invalidStreamImage(from.name)}`);
  const stream = await read(ref.namespace, ref.stream);
  if (!mayAccess(stream, at.namespace, 'Pull')) throw new StreamTagError(accessDeniedMessage(stream, at.namespace, 'Pull'));
  const found = findStreamImage(stream, ref.digest);
  if (!found) throw new StreamTagError(`"${streamTagKey(at)}": ${streamImageNotFound(ref)}`);
  const { insecure, importMode } = stream.spec.tags?.find((t) => t.name === found.tag)?.importPolicy ?? {};
  const policy = { ...(insecure !== undefined ? { insecure } : {}), ...(importMode !== undefined ? { importMode } : {}) };
  return { kind: 'image', image: found.item.image, dockerImageReference: found.item.dockerImageReference, policy };
}
