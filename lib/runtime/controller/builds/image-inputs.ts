import { strategyOf, triggersOf } from '../../../api/build-spec';
import { streamImageRef } from '../../../api/stream-image';
import type { BuildConfigObject, BuildImageReference } from '../../../api/buildconfig';
import { resolveTag, type StreamLookup, type TagResolution } from '../triggers/resolve-tag';
import { referencedTag, streamTagKey } from '../../../api/stream-tag';

/** A stream tag a BuildConfig builds from, split. */
export interface TagInput {
  /** The BuildConfig's namespace: who reads the tag. */
  readonly reader: string;
  readonly ref: BuildImageReference;
  /** `namespace/stream:tag` */
  readonly key: string;
  readonly namespace: string;
  readonly stream: string;
  readonly tag: string;
}

/** Throws a StreamTagError when `ref.name` is not `stream:tag` (the CRD refuses such names). */
export function tagInput(ref: BuildImageReference, namespace: string): TagInput {
  const target = referencedTag(ref, namespace);
  return { reader: namespace, ref: { kind: 'ImageStreamTag', name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) }, key: streamTagKey(target), ...target };
}

const namespaceOf = (bc: BuildConfigObject) => bc.metadata.namespace ?? 'default';

/** The tags whose new images start builds: each ImageChange trigger's `from`, else the strategy's base. */
export function imageChangeInputs(bc: BuildConfigObject): TagInput[] {
  const inputs = new Map<string, TagInput>();
  const base = strategyOf(bc.spec.strategy ?? {})?.from;
  for (const trigger of triggersOf(bc.spec)) {
    if (trigger.type !== 'ImageChange' || trigger.imageChange?.paused) continue;
    const from = trigger.imageChange?.from ?? base;
    if (from?.kind !== 'ImageStreamTag') continue;
    const input = tagInput(from, namespaceOf(bc));
    inputs.set(input.key, input);
  }
  return [...inputs.values()];
}

/** The strategy's base when it is a stream tag: what BASE_IMAGE is resolved from. */
export function baseInput(bc: BuildConfigObject): TagInput | undefined {
  const from = strategyOf(bc.spec.strategy ?? {})?.from;
  return from?.kind === 'ImageStreamTag' ? tagInput(from, namespaceOf(bc)) : undefined;
}

/** The strategy's named stages whose image is a stream tag, by stage name: what STAGE_IMAGES is resolved from. */
export function stageInputs(bc: BuildConfigObject): { readonly stage: string; readonly input: TagInput }[] {
  return (strategyOf(bc.spec.strategy ?? {})?.stages ?? []).flatMap(({ name, from }) => (from.kind === 'ImageStreamTag' ? [{ stage: name, input: tagInput(from, namespaceOf(bc)) }] : []));
}

/** The image sources (`source.images`) whose image is a stream tag or one image of a stream, by index: what IMAGE_SOURCES is resolved from. */
export function imageSourceInputs(bc: BuildConfigObject): { readonly index: number; readonly from: BuildImageReference }[] {
  return (bc.spec.source?.images ?? []).flatMap(({ from }, index) => (from.kind === 'DockerImage' ? [] : [{ index, from }]));
}

/** `namespace/stream` of every stream the BuildConfig reads, for the index that maps stream changes to it. */
export function streamsRead(bc: BuildConfigObject): string[] {
  const inputs = [...imageChangeInputs(bc), ...[baseInput(bc)].filter((i): i is TagInput => i !== undefined), ...stageInputs(bc).map((s) => s.input)];
  // A base that is one image of a stream's history: a build waiting for it starts when the stream records it.
  const from = strategyOf(bc.spec.strategy ?? {})?.from;
  const image = from?.kind === 'ImageStreamImage' ? streamImageRef(from, namespaceOf(bc)) : undefined;
  // Image sources: a build waiting for one starts when its stream gets the image (a change starts none).
  const sources = imageSourceInputs(bc).map(({ from: ref }) => (ref.kind === 'ImageStreamTag' ? tagInput(ref, namespaceOf(bc)) : streamImageRef(ref, namespaceOf(bc))));
  return [...new Set([
    ...inputs.map((i) => `${i.namespace}/${i.stream}`), ...(image ? [`${image.namespace}/${image.stream}`] : []), ...sources.flatMap((s) => (s ? [`${s.namespace}/${s.stream}`] : [])),
  ])];
}

/** The pull reference the tag points at now (aliases followed). */
export function resolveInput(lookup: StreamLookup, input: TagInput): TagResolution {
  return resolveTag(lookup, input.reader, input.namespace, input.stream, input.tag);
}
