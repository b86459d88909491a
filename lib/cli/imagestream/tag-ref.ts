import { parseReference } from '../../api/image-reference';

/** `stream:tag` in a namespace; `namespace` is absent when the text named none (the -n default applies). */
export interface StreamTagRef {
  readonly namespace?: string;
  readonly stream: string;
  readonly tag: string;
}

/** Where `imagestreams tag` takes its image from. */
export type TagSource =
  | { readonly kind: 'ImageStreamTag'; readonly ref: StreamTagRef }
  | { readonly kind: 'DockerImage'; readonly reference: string };

/** `--source`: how to read SRC; absent means by its shape (see tagSource). */
export type SourceKind = 'imagestreamtag' | 'docker';

const NAMESPACE_RE = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const STREAM_RE = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;
const TAG_RE = /^[\w][\w.-]{0,127}$/;

/** Parses `stream:tag` or `namespace/stream:tag`; throws an Error saying what is wrong. */
export function parseStreamTag(text: string): StreamTagRef {
  const match = /^(?:([^/:@]+)\/)?([^/:@]+):([^/:@]+)$/.exec(text);
  if (!match) throw new Error(`'${text}' must look like stream:tag or namespace/stream:tag`);
  const [, namespace, stream, tag] = match;
  if (namespace !== undefined && !NAMESPACE_RE.test(namespace)) throw new Error(`'${text}': '${namespace}' is not a valid namespace name`);
  if (stream.length > 253 || !STREAM_RE.test(stream)) throw new Error(`'${text}': '${stream}' is not a valid ImageStream name`);
  if (!TAG_RE.test(tag)) throw new Error(`'${text}': '${tag}' is not a valid tag name`);
  return namespace === undefined ? { stream, tag } : { namespace, stream, tag };
}

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

/** `stream:tag`, prefixed with the namespace when it is not `home`. */
export function formatStreamTag(ref: StreamTagRef, home?: string): string {
  return ref.namespace && ref.namespace !== home ? `${ref.namespace}/${ref.stream}:${ref.tag}` : `${ref.stream}:${ref.tag}`;
}

/** The reference with its namespace filled in. */
export function inNamespace(ref: StreamTagRef, fallback: string): Required<StreamTagRef> {
  return { namespace: ref.namespace ?? fallback, stream: ref.stream, tag: ref.tag };
}
