/**
 * Mirroring on import: OpenShift's `referencePolicy: Local`. A tag with it has each new image copied
 * into the stream's own registry (`spec.imageRepository`) before the image enters its history, so
 * workloads and builds pull the internal copy and keep working when the source is slow, rate-limited
 * or gone. The one copy of the rule, for the constructs (synth-time checks), the importer (what to
 * copy, where) and the controller (which reference consumers get).
 */
import { referencePolicyType, type ImageStreamSpec, type TagSpec } from './imagestream';

/** The condition reason of a tag whose image could not be copied into the stream's registry. */
export const MIRROR_FAILED_REASON = 'MirrorFailed';

/** Where a stream's mirrored images go, and how to talk to that registry. */
export interface MirrorTarget {
  /** `host[:port]/path` with no tag: the stream's `spec.imageRepository`. */
  readonly repository: string;
  /** Plain http, or https without certificate verification (`spec.imageRepositoryInsecure`). */
  readonly insecure: boolean;
}

/** Whether imports of this tag copy each image into the stream's registry (an imported tag with referencePolicy Local). */
export function mirrorsOnImport(tag: TagSpec): boolean {
  return referencePolicyType(tag) === 'Local' && tag.from?.kind === 'DockerImage' && !tag.reference;
}

/** The stream's registry, when it has one: the copies of its Local tags go there. */
export function mirrorTarget(spec: ImageStreamSpec): MirrorTarget | undefined {
  if (!spec.imageRepository) return undefined;
  return { repository: spec.imageRepository, insecure: spec.imageRepositoryInsecure ?? false };
}

/** Why a Local tag of this stream cannot be mirrored, as a sentence; undefined when it can. */
export function mirrorProblem(spec: ImageStreamSpec, tag: TagSpec): string | undefined {
  if (!mirrorsOnImport(tag) || mirrorTarget(spec)) return undefined;
  return `tag '${tag.name}' has referencePolicy Local, but the stream has no registry to copy its images into (spec.imageRepository)`;
}


/**
 * Where a history item's image is stored: for a tag that mirrors, its copy in the stream's
 * repository (`imageRepository@sha256:…`; the item names the source, as OpenShift's do); else the
 * item's own reference. What pruning and usage count in the stream's registry.
 */
export function storedReference(spec: ImageStreamSpec, tag: string, item: { readonly dockerImageReference: string; readonly image: string }): string {
  const tagSpec = spec.tags?.find((t) => t.name === tag);
  return tagSpec && mirrorsOnImport(tagSpec) && spec.imageRepository && item.image ? `${spec.imageRepository}@${item.image}` : item.dockerImageReference;
}
