import { accessDeniedMessage, mayAccess } from '../../api/grants';
import type { TagImportPolicy, TagSpec } from '../../api/imagestream';
import { formatStreamTag, type StreamTagRef } from '../../api/stream-tag';
import type { KubeClient, ResourceClient } from '../../runtime/kube/client';
import { loadPullSecrets } from '../../runtime/registry/pull-secrets';
import { imageStreams, type StreamObject } from '../../runtime/imagestreams/streams';
import { readStream, writeStatus, type StatusWriteOptions } from '../../runtime/imagestreams/write-status';
import { RegistryError } from '../../runtime/registry/errors';
import { resolveImage } from '../../runtime/registry/resolve';
import { StreamTagError } from './errors';
import { history, prependItem, tagNotFound } from './history';
import { sourceImage, type SourceImage } from './source-image';
import type { TagSource } from './tag-ref';
import { withTag, writeSpecTags, type SpecWriteOptions } from './write-spec';

type Located = Required<StreamTagRef>;

export interface TagImageOptions {
  /** SRC; a stream tag's namespace must be filled in. */
  readonly source: { readonly kind: 'ImageStreamTag'; readonly ref: Located } | Extract<TagSource, { kind: 'DockerImage' }>;
  readonly destination: Located;
  /**
   * The namespace the command acts from (-n, or the context's): writing into a stream of another
   * namespace needs that stream's Push grant for it. @default - the destination's
   */
  readonly actor?: string;
  /** For a DockerImage source: plain http, or https without verification. @default false */
  readonly insecure?: boolean;
  /** @default - the system clock */
  readonly now?: () => Date;
  readonly write?: SpecWriteOptions & StatusWriteOptions;
  /** @default - the ImageStreams of the namespace through `kube` */
  readonly streams?: (namespace: string) => ResourceClient<StreamObject>;
}

export type TagImageReport =
  | {
      readonly kind: 'image';
      readonly image: string;
      readonly dockerImageReference: string;
      /** False when the destination had this image as its newest item already. */
      readonly moved: boolean;
    }
  /** The source is a reference tag: the destination became one too, pointing at the same image. */
  | { readonly kind: 'reference'; readonly reference: string };

/**
 * Copies the source's current image into the destination tag — from any kind of tag: imported,
 * pinned, a build's output, an alias (followed to its end) or a reference tag (the destination becomes
 * a reference to the same image). The tag change is one write of the spec: the tag pinned to the
 * digest (scheduled imports can't move it), applied whole or not at all, retried with back-off on
 * conflicts. The image then becomes the tag's newest history item, in the order of the spec writes
 * when several race; should that second write not happen, the controller records the pinned digest
 * itself (it imports a tag whose spec changed), so a tag is never left half-applied.
 */
export async function copyTag(kube: KubeClient, options: TagImageOptions): Promise<TagImageReport> {
  const streamsIn = options.streams ?? ((ns: string) => imageStreams(kube, ns));
  const dst = options.destination;
  const dstStreams = streamsIn(dst.namespace);
  const destination = await readStream(dstStreams, dst.stream);
  checkPush(destination, options.actor ?? dst.namespace);
  const current = await currentImage(kube, streamsIn, destination, options);
  const next = (existing: TagSpec | undefined): TagSpec => {
    const { reference: _reference, importPolicy: _policy, ...kept } = existing ?? { name: dst.tag };
    if (current.kind === 'reference') return { ...kept, name: dst.tag, from: { kind: 'DockerImage', name: current.reference }, reference: true };
    return { ...kept, name: dst.tag, from: { kind: 'DockerImage', name: current.dockerImageReference }, importPolicy: { ...current.policy, scheduled: false } };
  };
  const spec = await writeSpecTags(dstStreams, dst.stream, (fresh) => {
    const existing = fresh.spec.tags?.find((t) => t.name === dst.tag);
    const tag = next(existing);
    return { tags: sameJson(existing, tag) ? undefined : withTag(fresh.spec.tags, tag), result: undefined };
  }, options.write);
  if (current.kind === 'reference') return current;
  const at = (options.now ?? (() => new Date()))().toISOString();
  const generation = spec.object.metadata.generation;
  const written = await writeStatus(dstStreams, dst.stream, (fresh) => prependItem(fresh, dst.tag, current, at, true, generation), options.write);
  return { kind: 'image', image: current.image, dockerImageReference: current.dockerImageReference, moved: written.computed.moved };
}

/** Makes the destination an alias that follows the source tag (the controller resolves it on every use). */
export async function aliasTag(kube: KubeClient, options: TagImageOptions): Promise<void> {
  if (options.source.kind !== 'ImageStreamTag') throw new StreamTagError('an alias needs an ImageStreamTag source');
  const streamsIn = options.streams ?? ((ns: string) => imageStreams(kube, ns));
  const { ref: src } = options.source;
  const dst = options.destination;
  const dstStreams = streamsIn(dst.namespace);
  checkPush(await readStream(dstStreams, dst.stream), options.actor ?? dst.namespace);
  const srcStream = await readStream(streamsIn(src.namespace), src.stream);
  if (!mayAccess(srcStream, dst.namespace, 'Pull')) throw new StreamTagError(accessDeniedMessage(srcStream, dst.namespace, 'Pull'));
  const srcTag = srcStream.spec.tags?.find((t) => t.name === src.tag);
  if (!srcTag && history(srcStream, src.tag).length === 0) throw tagNotFound(srcStream, src.tag);
  if (srcTag?.from?.kind === 'ImageStreamTag' && followsDestination(srcTag.from, src.namespace, dst)) {
    throw new StreamTagError(`"${formatStreamTag(src, dst.namespace)}" follows "${formatStreamTag(dst, dst.namespace)}" already: the alias would make a cycle`);
  }
  const from = { kind: 'ImageStreamTag' as const, name: `${src.stream}:${src.tag}`, ...(src.namespace !== dst.namespace ? { namespace: src.namespace } : {}) };
  await writeSpecTags(dstStreams, dst.stream, (fresh) => {
    const existing = fresh.spec.tags?.find((t) => t.name === dst.tag);
    const { reference: _reference, importPolicy: _policy, ...kept } = existing ?? { name: dst.tag };
    const next: TagSpec = { ...kept, name: dst.tag, from };
    return { tags: sameJson(existing, next) ? undefined : withTag(fresh.spec.tags, next), result: undefined };
  }, options.write);
}

/** Writing into a stream of another namespace than the one acting needs the stream's Push grant. */
export function checkPush(stream: StreamObject, actor: string): void {
  if (!mayAccess(stream, actor, 'Push')) throw new StreamTagError(accessDeniedMessage(stream, actor, 'Push'));
}

async function currentImage(
  kube: KubeClient,
  streamsIn: (namespace: string) => ResourceClient<StreamObject>,
  destination: StreamObject,
  options: TagImageOptions,
): Promise<SourceImage> {
  const { source } = options;
  if (source.kind === 'DockerImage') return resolveSource(kube, destination, source.reference, options.insecure ?? false);
  return sourceImage((namespace, name) => readStream(streamsIn(namespace), name), source.ref, options.destination.namespace);
}

/** Resolves an image reference now, with the destination stream's pull secrets; the digest is verified (fetched once). */
async function resolveSource(kube: KubeClient, destination: StreamObject, reference: string, insecure: boolean): Promise<SourceImage> {
  const namespace = destination.metadata.namespace ?? kube.namespace;
  const { dockerConfig } = await loadPullSecrets(kube, namespace, (destination.spec.pullSecrets ?? []).map((s) => s.name));
  try {
    const resolved = await resolveImage(reference, { insecure, ...(dockerConfig ? { dockerConfig } : {}) });
    const policy: Pick<TagImportPolicy, 'insecure'> = insecure ? { insecure } : {};
    return { kind: 'image', image: resolved.digest, dockerImageReference: resolved.dockerImageReference, policy };
  } catch (error) {
    if (!RegistryError.isRegistryError(error)) throw error;
    throw new StreamTagError(`cannot resolve ${reference}: ${error.reason}: ${error.message}`);
  }
}

function followsDestination(from: { name: string; namespace?: string }, home: string, dst: Located): boolean {
  return (from.namespace ?? home) === dst.namespace && from.name === `${dst.stream}:${dst.tag}`;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
