import { isDnsLabel, isDnsSubdomain, isTagName, TAG_NAME_TEXT } from './names';

/**
 * A tag of an ImageStream. Its one text form is `[namespace/]stream:tag` — in CLI arguments,
 * `ImageStreamTag.external()`, trigger annotations (`from.name` = `stream:tag` with the namespace
 * beside it) and BuildConfig references. The namespace, when the text has none, is the reader's:
 * the workload's, the BuildConfig's, the stream's, or `-n` on the command line.
 *
 * One exception, kept for OpenShift's manifests: an alias tag in a stream's own spec
 * (`spec.tags[].from`, kind ImageStreamTag) may name a bare `tag` of the same stream; see aliasTarget.
 */
export interface StreamTagRef {
  /** Absent when the text named none. */
  readonly namespace?: string;
  readonly stream: string;
  readonly tag: string;
}

/** A tag with its namespace known. */
export type QualifiedStreamTag = Required<StreamTagRef>;

/** Why a text is not a stream tag; the message says what a good one looks like. */
export class StreamTagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StreamTagError';
  }
}

const SHAPE = /^(?:([^/:@]+)\/)?([^/:@]+):([^/:@]+)$/;

/** Parses `stream:tag` or `namespace/stream:tag`; throws a StreamTagError saying what is wrong. */
export function parseStreamTag(text: string): StreamTagRef {
  const match = SHAPE.exec(text);
  if (!match) throw new StreamTagError(`'${text}' must look like stream:tag or namespace/stream:tag`);
  const [, namespace, stream, tag] = match;
  if (namespace !== undefined && !isDnsLabel(namespace)) throw new StreamTagError(`'${text}': '${namespace}' is not a valid namespace name`);
  if (!isDnsSubdomain(stream)) throw new StreamTagError(`'${text}': '${stream}' is not a valid ImageStream name`);
  if (!isTagName(tag)) throw new StreamTagError(`'${text}': '${tag}' is not a valid tag name: ${TAG_NAME_TEXT}`);
  return namespace === undefined ? { stream, tag } : { namespace, stream, tag };
}

/** The reference, or undefined when the text is not one. */
export function tryParseStreamTag(text: string): StreamTagRef | undefined {
  try {
    return parseStreamTag(text);
  } catch {
    return undefined;
  }
}

/** `stream:tag`, prefixed with the namespace when it is not `home`. */
export function formatStreamTag(ref: StreamTagRef, home?: string): string {
  return ref.namespace && ref.namespace !== home ? `${ref.namespace}/${ref.stream}:${ref.tag}` : `${ref.stream}:${ref.tag}`;
}

/** The reference with its namespace filled in. */
export function inNamespace(ref: StreamTagRef, fallback: string): QualifiedStreamTag {
  return { namespace: ref.namespace ?? fallback, stream: ref.stream, tag: ref.tag };
}

/** `namespace/stream:tag`: the key of a tag across the cluster (indexes, annotations, messages). */
export function streamTagKey(ref: QualifiedStreamTag): string {
  return `${ref.namespace}/${ref.stream}:${ref.tag}`;
}

/** A reference `{ name: 'stream:tag', namespace? }` as specs and annotations write it, read from `home`. */
export function referencedTag(from: { readonly name: string; readonly namespace?: string }, home: string): QualifiedStreamTag {
  return inNamespace({ ...parseStreamTag(from.name), namespace: from.namespace || home }, home);
}

/**
 * The tag an alias (a spec tag `from` of kind ImageStreamTag) follows: `stream:tag` in `from.namespace`
 * or the stream's, or — OpenShift's form in its sample streams — a bare `tag` of the same stream.
 */
export function aliasTarget(from: { readonly name: string; readonly namespace?: string }, here: { readonly namespace: string; readonly stream: string }): QualifiedStreamTag {
  const name = from.name.includes(':') ? from.name : `${here.stream}:${from.name}`;
  return referencedTag({ name, namespace: from.namespace }, here.namespace);
}
