import { accessDeniedMessage, mayAccess } from '../../api/grants';
import type { ImageStreamObject, TagSpec } from '../../api/imagestream';
import { findStreamImage, invalidStreamImage, STREAM_IMAGE_NOT_FOUND, streamImageNotFound, streamImageRef } from '../../api/stream-image';
import type { TagImportResult } from '../imagestreams/results';
import { StreamNotFoundError } from '../imagestreams/streams';

/** A spec tag from an ImageStreamImage (`stream@sha256:…`). */
export type StreamImageTag = TagSpec & { readonly from: { readonly kind: 'ImageStreamImage'; readonly name: string; readonly namespace?: string } };

export function isStreamImageTag(tag: TagSpec): tag is StreamImageTag {
  return tag.from?.kind === 'ImageStreamImage';
}

/**
 * What each tag from an ImageStreamImage records, as OpenShift records it when the tag is set: the
 * named stream's item with that digest (its reference as that stream recorded it), or ImportSuccess
 * False — NotFound when the digest is not in that stream's history, AccessDenied without its Pull
 * grant. Nothing is asked of a registry: the image was verified when that stream recorded it.
 */
export async function recordStreamImages(tags: readonly StreamImageTag[], home: string, read: (namespace: string, name: string) => Promise<ImageStreamObject>): Promise<TagImportResult[]> {
  const results: TagImportResult[] = [];
  for (const tag of tags) {
    const failed = (reason: string, message: string): TagImportResult => ({ tag: tag.name, from: tag.from.name, ok: false, reason, message });
    const ref = streamImageRef(tag.from, home);
    if (!ref) {
      results.push(failed('InvalidImageStreamImage', invalidStreamImage(tag.from.name)));
      continue;
    }
    let stream: ImageStreamObject;
    try {
      stream = await read(ref.namespace, ref.stream);
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
      results.push(failed(STREAM_IMAGE_NOT_FOUND, `ImageStream '${ref.namespace}/${ref.stream}' not found`));
      continue;
    }
    if (!mayAccess(stream, home, 'Pull')) {
      results.push(failed('AccessDenied', accessDeniedMessage(stream, home, 'Pull')));
      continue;
    }
    const found = findStreamImage(stream, ref.digest);
    results.push(found ? { tag: tag.name, from: tag.from.name, ok: true, image: found.item.image, dockerImageReference: found.item.dockerImageReference } : failed(STREAM_IMAGE_NOT_FOUND, streamImageNotFound(ref)));
  }
  return results;
}
