import type { TagImportPolicy, TagSpec } from '../../api/imagestream';
import type { KubeClient, ResourceClient } from '../../runtime/kube/client';
import { loadPullSecrets } from '../../runtime/registry/pull-secrets';
import { imageStreams, type StreamObject } from '../../runtime/imagestreams/streams';
import { readStream, writeStatus, type StatusWriteOptions } from '../../runtime/imagestreams/write-status';
import { RegistryError } from '../../runtime/registry/errors';
import { resolveImage } from '../../runtime/registry/resolve';
import { StreamTagError } from './errors';
import { history, prependItem, specTag, tagNotFound } from './history';
import type { TagSource } from './tag-ref';
import { withTag, writeSpecTags, type SpecWriteOptions } from './write-spec';
import { formatStreamTag, type StreamTagRef } from '../../api/stream-tag';

type Located = Required<StreamTagRef>;

export interface TagImageOptions {
  /** SRC; a stream tag's namespace must be filled in. */
  readonly source: { readonly kind: 'ImageStreamTag'; readonly ref: Located } | Extract<TagSource, { kind: 'DockerImage' }>;
  readonly destination: Located;
  /** For a DockerImage source: plain http, or https without verification. @default false */
  readonly insecure?: boolean;
  /** @default - the system clock */
  readonly now?: () => Date;
  readonly write?: SpecWriteOptions & StatusWriteOptions;
  /** @default - the ImageStreams of the namespace through `kube` */
  readonly streams?: (namespace: string) => ResourceClient<StreamObject>;
}

export interface TagImageReport {
  readonly image: string;
  readonly dockerImageReference: string;
  /** False when the destination had this image as its newest item already. */
  readonly moved: boolean;
}

/**
 * Copies the source's current image into the destination tag: its spec tag is pinned to the digest
 * (scheduled imports can't move it) and the image becomes its newest history item.
 */
export async function copyTag(kube: KubeClient, options: TagImageOptions): Promise<TagImageReport> {
  const streamsIn = options.streams ?? ((ns: string) => imageStreams(kube, ns));
  const dst = options.destination;
  const dstStreams = streamsIn(dst.namespace);
  const current = await currentImage(kube, streamsIn, await readStream(dstStreams, dst.stream), options);
  const from = { kind: 'DockerImage' as const, name: current.dockerImageReference };
  await writeSpecTags(dstStreams, dst.stream, (fresh) => {
    const existing = fresh.spec.tags?.find((t) => t.name === dst.tag);
    const { reference: _reference, ...kept } = existing ?? { name: dst.tag };
    const next: TagSpec = { ...kept, name: dst.tag, from, importPolicy: { ...current.policy, scheduled: false } };
    return { tags: sameJson(existing, next) ? undefined : withTag(fresh.spec.tags, next), result: undefined };
  }, options.write);
  const at = (options.now ?? (() => new Date()))().toISOString();
  const written = await writeStatus(dstStreams, dst.stream, (fresh) => prependItem(fresh, dst.tag, current, at, true), options.write);
  return { image: current.image, dockerImageReference: current.dockerImageReference, moved: written.computed.moved };
}

/** Makes the destination an alias that follows the source tag (the controller records its images). */
export async function aliasTag(kube: KubeClient, options: TagImageOptions): Promise<void> {
  if (options.source.kind !== 'ImageStreamTag') throw new StreamTagError('an alias needs an ImageStreamTag source');
  const streamsIn = options.streams ?? ((ns: string) => imageStreams(kube, ns));
  const { ref: src } = options.source;
  const dst = options.destination;
  const srcStream = await readStream(streamsIn(src.namespace), src.stream);
  const srcTag = srcStream.spec.tags?.find((t) => t.name === src.tag);
  if (!srcTag && history(srcStream, src.tag).length === 0) throw tagNotFound(srcStream, src.tag);
  if (srcTag?.from?.kind === 'ImageStreamTag' && followsDestination(srcTag.from, src.namespace, dst)) {
    throw new StreamTagError(`"${formatStreamTag(src, dst.namespace)}" follows "${formatStreamTag(dst, dst.namespace)}" already: the alias would make a cycle`);
  }
  const from = { kind: 'ImageStreamTag' as const, name: `${src.stream}:${src.tag}`, ...(src.namespace !== dst.namespace ? { namespace: src.namespace } : {}) };
  await writeSpecTags(streamsIn(dst.namespace), dst.stream, (fresh) => {
    const existing = fresh.spec.tags?.find((t) => t.name === dst.tag);
    const { reference: _reference, importPolicy: _policy, ...kept } = existing ?? { name: dst.tag };
    const next: TagSpec = { ...kept, name: dst.tag, from };
    return { tags: sameJson(existing, next) ? undefined : withTag(fresh.spec.tags, next), result: undefined };
  }, options.write);
}

interface CurrentImage {
  readonly image: string;
  readonly dockerImageReference: string;
  /** What re-checking the pinned digest needs from the source's policy. */
  readonly policy: Pick<TagImportPolicy, 'insecure' | 'importMode'>;
}

async function currentImage(
  kube: KubeClient,
  streamsIn: (namespace: string) => ResourceClient<StreamObject>,
  destination: StreamObject,
  options: TagImageOptions,
): Promise<CurrentImage> {
  const { source } = options;
  if (source.kind === 'DockerImage') return resolveSource(kube, destination, source.reference, options.insecure ?? false);
  const src = source.ref;
  const stream = await readStream(streamsIn(src.namespace), src.stream);
  const newest = history(stream, src.tag)[0];
  if (!newest) {
    const spec = specTag(stream, src.tag); // throws when the tag is not there at all
    const hint = spec.from?.kind === 'DockerImage' ? `: import it first (imagestreams import-image ${src.stream} -n ${src.namespace})` : '';
    throw new StreamTagError(`"${formatStreamTag(src, options.destination.namespace)}" has no image yet${hint}`);
  }
  const { insecure, importMode } = stream.spec.tags?.find((t) => t.name === src.tag)?.importPolicy ?? {};
  return { image: newest.image, dockerImageReference: newest.dockerImageReference, policy: dropUndefined({ insecure, importMode }) };
}

/** Resolves an image reference now, with the destination stream's pull secrets. */
async function resolveSource(kube: KubeClient, destination: StreamObject, reference: string, insecure: boolean): Promise<CurrentImage> {
  const namespace = destination.metadata.namespace ?? kube.namespace;
  const { dockerConfig } = await loadPullSecrets(kube, namespace, (destination.spec.pullSecrets ?? []).map((s) => s.name));
  try {
    const resolved = await resolveImage(reference, { insecure, ...(dockerConfig ? { dockerConfig } : {}) });
    return { image: resolved.digest, dockerImageReference: resolved.dockerImageReference, policy: insecure ? { insecure } : {} };
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

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
