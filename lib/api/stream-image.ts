/**
 * OpenShift's ImageStreamImage: `stream@sha256:…`, one image of a stream's history by its digest. A
 * spec tag `from: { kind: ImageStreamImage, name: 'app@sha256:…', namespace? }` points at that exact
 * image of that stream (a tag pinned to what another tag once had). The one copy of the rule, for the
 * controller (what workloads and builds get), the importer (what the tag records) and the CLI.
 */
import type { ImageStreamObject, TagEvent } from './imagestream';
import { STREAM_IMAGE_PATTERN } from './imagestream';

/** The condition reason of a tag whose ImageStreamImage is not in that stream's history. */
export const STREAM_IMAGE_NOT_FOUND = 'NotFound';

export interface StreamImageRef {
  readonly namespace: string;
  readonly stream: string;
  /** `sha256:…` */
  readonly digest: string;
}

const SHAPE = new RegExp(STREAM_IMAGE_PATTERN);

/** The image `from` names, read from the stream in `home`; undefined when the name is not `stream@sha256:…`. */
export function streamImageRef(from: { readonly name: string; readonly namespace?: string }, home: string): StreamImageRef | undefined {
  if (!SHAPE.test(from.name)) return undefined;
  const at = from.name.indexOf('@');
  return { namespace: from.namespace || home, stream: from.name.slice(0, at), digest: from.name.slice(at + 1) };
}

/** The newest item of any of the stream's tags that records this digest, with its tag. */
export function findStreamImage(stream: ImageStreamObject, digest: string): { readonly tag: string; readonly item: TagEvent } | undefined {
  for (const list of stream.status?.tags ?? []) {
    const item = list.items?.find((i) => i.image === digest);
    if (item) return { tag: list.tag, item };
  }
  return undefined;
}

/** Why a tag's ImageStreamImage has no image: the sentence of its condition. */
export function streamImageNotFound(ref: StreamImageRef): string {
  return `image ${ref.digest} is not in the history of ImageStream '${ref.namespace}/${ref.stream}': name an image one of its tags has recorded (imagestreams describe is/${ref.stream} -n ${ref.namespace}), or follow a tag with kind ImageStreamTag`;
}

/** Why a name is not an ImageStreamImage (the CRD refuses these; a cached object may predate it). */
export function invalidStreamImage(name: string): string {
  return `'${name}' is not an ImageStreamImage: it must be stream@sha256:<64 hex digits>`;
}
