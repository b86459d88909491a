import type { BuildCause, BuildConfigObject } from '../../../api/buildconfig';
import { strategyOf, strategyTypeOf } from '../../../api/build-spec';
import { resolveImageStreamImage } from '../triggers/resolve-tag';
import type { StreamLookup } from '../triggers/resolve-tag';
import type { BuildState } from './build-state';
import { accessDeniedMessage, mayAccess } from '../../../api/grants';
import { baseInput, imageChangeInputs, imageSourceInputs, resolveInput, stageInputs, tagInput, type TagInput } from './image-inputs';

export interface PlannedBuild {
  readonly cause: BuildCause;
  /** BASE_IMAGE by digest, when the base is a stream tag: at the address the build pulls it from. */
  readonly baseImage?: string;
  /** The stream-tag stages' images by digest (at the address the build pulls from), by stage name; undefined when there are none. */
  readonly stageImages?: Readonly<Record<string, string>>;
  /** The images of the stream image sources by digest (at the address the build pulls from), by index; undefined when there are none. */
  readonly imageSources?: Readonly<Record<string, string>>;
  /** The trigger tag and image this build counts as built from (recorded on the run and in status). */
  readonly triggered?: { readonly key: string; readonly image: string };
  /** True when an image change started it (debounced); false for config changes alone. */
  readonly imageChange: boolean;
}

export type BuildPlan =
  | { readonly kind: 'none' }
  /** A build is due but its base tag cannot be resolved: the reason, for an Event. */
  | { readonly kind: 'blocked'; readonly reason: string; readonly message: string }
  | ({ readonly kind: 'build' } & PlannedBuild);

/**
 * Whether a build is due, and with what: an ImageChange trigger whose tag points at another image
 * than it last built from, or a ConfigChange (the first build; with onSpecChange, a new generation).
 * Several causes at once make one build. The base is resolved by digest; a build never starts
 * without it (it waits for the first import instead of building from the Dockerfile's FROM).
 */
export function planBuild(bc: BuildConfigObject, state: BuildState, hasRuns: boolean, lookup: StreamLookup): BuildPlan {
  const output = outputDenied(bc, lookup);
  if (output) return output;
  const inputs = imageChangeInputs(bc);
  const changes = inputs.flatMap((input) => {
    const resolved = resolveInput(lookup, input);
    return resolved.ok && resolved.image !== state.triggers.get(input.key)?.lastTriggeredImage ? [{ input, image: resolved.image }] : [];
  });
  const configGeneration = configChangeGeneration(bc, state, hasRuns);
  if (changes.length === 0 && configGeneration === undefined) return { kind: 'none' };
  const base = baseInput(bc);
  const baseImage = base ? resolveBase(lookup, base) : streamImageBase(bc, lookup);
  if (baseImage && !baseImage.ok) return { kind: 'blocked', reason: baseImage.reason, message: baseImage.message };
  const stages = resolveStages(bc, lookup);
  if (!stages.ok) return { kind: 'blocked', reason: stages.reason, message: stages.message };
  const sources = resolveImageSources(bc, lookup);
  if (!sources.ok) return { kind: 'blocked', reason: sources.reason, message: sources.message };
  const first = changes.find((c) => c.input.key === base?.key) ?? changes[0];
  const cause: BuildCause = first
    ? { type: 'ImageChange', from: first.input.ref, image: first.image }
    : { type: 'ConfigChange', generation: configGeneration ?? 0 };
  const baseRef = base && baseImage?.ok ? { key: base.key, image: baseImage.image } : undefined;
  // What the image triggers count as built: the changed tag's image, or (a config change) the base's.
  const recorded = first ? { key: first.input.key, image: first.image } : inputs.some((i) => i.key === baseRef?.key) ? baseRef : undefined;
  const buildBase = baseImage?.ok ? baseForBuild(bc, baseImage) : undefined;
  return { kind: 'build', cause, baseImage: buildBase, stageImages: stages.images, imageSources: sources.images, triggered: recorded, imageChange: changes.length > 0 };
}

/**
 * The images of the stream-tag stages by digest, at the address builds pull from; a stage whose tag
 * has no image yet blocks the build, as the base does.
 */
export function resolveStages(bc: BuildConfigObject, lookup: StreamLookup): { ok: true; images?: Record<string, string> } | { ok: false; reason: string; message: string } {
  const stages = stageInputs(bc);
  if (stages.length === 0) return { ok: true };
  const images: Record<string, string> = {};
  for (const { stage, input } of stages) {
    const resolved = resolveBase(lookup, input);
    if (!resolved.ok) return { ok: false, reason: resolved.reason, message: `stage ${stage}: ${resolved.message}` };
    images[stage] = resolved.buildImage;
  }
  return { ok: true, images };
}

/**
 * The images of the image sources that are stream tags (or one image of a stream) by digest, as the
 * tag points now, at the address builds pull from; one without an image yet blocks the build, as the base does.
 */
export function resolveImageSources(bc: BuildConfigObject, lookup: StreamLookup): { ok: true; images?: Record<string, string> } | { ok: false; reason: string; message: string } {
  const sources = imageSourceInputs(bc);
  if (sources.length === 0) return { ok: true };
  const namespace = bc.metadata.namespace ?? 'default';
  const images: Record<string, string> = {};
  for (const { index, from } of sources) {
    const resolved = from.kind === 'ImageStreamTag' ? resolveBase(lookup, tagInput(from, namespace)) : resolveImageStreamImage(lookup, namespace, from);
    if (!resolved.ok) return { ok: false, reason: resolved.reason, message: `source.images[${index}] (${from.name}): ${resolved.message}` };
    images[String(index)] = resolved.buildImage;
  }
  return { ok: true, images };
}

/**
 * BASE_IMAGE as the build reaches it: buildah pulls the base inside the build pod, from the stream's
 * push address (a chained build's base is another build's output, and an in-cluster registry's
 * node-facing address is not reachable from pods). The Buildpacks builder is the step's own image,
 * which the node pulls: its pull address.
 */
export function baseForBuild(bc: BuildConfigObject, base: { image: string; buildImage: string }): string {
  return strategyTypeOf(bc.spec.strategy ?? {}) === 'Buildpacks' ? base.image : base.buildImage;
}

/** A build whose output is a stream tag of another namespace needs that stream's Push grant. */
function outputDenied(bc: BuildConfigObject, lookup: StreamLookup): BuildPlan | undefined {
  const to = bc.spec.output?.to;
  if (to?.kind !== 'ImageStreamTag') return undefined;
  const out = tagInput(to, bc.metadata.namespace ?? 'default');
  const stream = lookup(out.namespace, out.stream);
  if (!stream || mayAccess(stream, out.reader, 'Push')) return undefined;
  return { kind: 'blocked', reason: 'AccessDenied', message: accessDeniedMessage(stream, out.reader, 'Push') };
}

/** A request's base when it is one image of a stream's history: undefined when it is not, or can't be resolved (the request then builds without it). */
export function streamImageBaseFor(bc: BuildConfigObject, lookup: StreamLookup): { image: string; buildImage: string } | undefined {
  const resolved = streamImageBase(bc, lookup);
  return resolved?.ok ? { image: resolved.image, buildImage: baseForBuild(bc, resolved) } : undefined;
}

/** A base that is one image of a stream's history (ImageStreamImage), by digest; undefined for other bases. */
function streamImageBase(bc: BuildConfigObject, lookup: StreamLookup): { ok: true; image: string; buildImage: string } | { ok: false; reason: string; message: string } | undefined {
  const from = strategyOf(bc.spec.strategy ?? {})?.from;
  if (from?.kind !== 'ImageStreamImage') return undefined;
  const resolved = resolveImageStreamImage(lookup, bc.metadata.namespace ?? 'default', from);
  return resolved.ok ? resolved : { ok: false, reason: resolved.reason, message: `strategy from: ${resolved.message}` };
}

function resolveBase(lookup: StreamLookup, base: TagInput): { ok: true; image: string; buildImage: string } | { ok: false; reason: string; message: string } {
  const resolved = resolveInput(lookup, base);
  if (resolved.ok) return resolved;
  return { ok: false, reason: resolved.reason === 'NoImage' ? 'WaitingForImage' : resolved.reason, message: resolved.message };
}

/** The generation a ConfigChange build is due for, if one is. */
function configChangeGeneration(bc: BuildConfigObject, state: BuildState, hasRuns: boolean): number | undefined {
  if (!bc.spec.triggers?.some((t) => t.type === 'ConfigChange')) return undefined;
  if (state.lastVersion === 0 && !hasRuns) return bc.metadata.generation ?? 1;
  return specChangeDue(bc, state) ? bc.metadata.generation : undefined;
}

/**
 * An onSpecChange trigger and a generation past the last one acted on: while its build waits (base
 * not imported, debounce), observedGeneration must stay behind so the change is not forgotten.
 */
export function specChangeDue(bc: BuildConfigObject, state: BuildState): boolean {
  const trigger = bc.spec.triggers?.find((t) => t.type === 'ConfigChange');
  const seen = state.observedGeneration;
  return !!trigger?.configChange?.onSpecChange && seen !== undefined && (bc.metadata.generation ?? 0) > seen;
}
