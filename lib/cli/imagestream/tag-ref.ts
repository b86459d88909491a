import { parseReference } from '../../api/image-reference';
import { parseStreamTag, type StreamTagRef } from '../../api/stream-tag';

/** Where `imagestreams tag` takes its image from. */
export type TagSource =
  | { readonly kind: 'ImageStreamTag'; readonly ref: StreamTagRef }
  | { readonly kind: 'DockerImage'; readonly reference: string };

/** `--source`: how to read SRC; absent means by its shape (see tagSource). */
export type SourceKind = 'imagestreamtag' | 'docker';

/**
 * SRC of `imagestreams tag`. Without --source it is an image reference when it cannot be a stream tag:
 * it has a digest (`@`), more than one `/`, or its first component is a registry host (has `.` or `:`;
 * namespace names have neither). `localhost/app:v1` or Docker Hub's `library/busybox:1` read as
 * namespace/stream:tag: pass --source=docker for those.
 */
export function tagSource(text: string, kind?: SourceKind): TagSource {
  if ((kind ?? (looksLikeImage(text) ? 'docker' : 'imagestreamtag')) === 'imagestreamtag') {
    return { kind: 'ImageStreamTag', ref: parseStreamTag(text) };
  }
  parseReference(text); // throws "invalid image reference …"
  return { kind: 'DockerImage', reference: text };
}

function looksLikeImage(text: string): boolean {
  const parts = text.split('/');
  return text.includes('@') || parts.length > 2 || (parts.length === 2 && /[.:]/.test(parts[0]));
}
