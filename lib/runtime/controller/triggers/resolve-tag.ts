import { accessDeniedMessage, mayAccess } from '../../../api/grants';
import { referencePolicyType, type ImageStreamObject, type TagEvent, type TagEventCondition } from '../../../api/imagestream';
import { aliasTarget, streamTagKey } from '../../../api/stream-tag';
import { findStreamImage, invalidStreamImage, streamImageNotFound, streamImageRef } from '../../../api/stream-image';

export type TagResolution =
  /**
   * `image`: where nodes pull it (workloads, and what triggers record); `buildImage`: where build pods
   * pull it, the stream's push address (an in-cluster registry's nodes-only address is unreachable
   * from pods, and the other way round).
   */
  | { readonly ok: true; readonly image: string; readonly buildImage: string }
  /** Not an error: the tag has no image yet (nothing imported or built). */
  | { readonly ok: false; readonly reason: 'NoImage'; readonly message: string }
  | { readonly ok: false; readonly reason: 'StreamNotFound' | 'AliasCycle' | 'InvalidAlias' | 'AccessDenied' | 'ImageNotFound'; readonly message: string };

export type StreamLookup = (namespace: string, name: string) => ImageStreamObject | undefined;

/** Alias chains longer than this are treated like cycles. */
const MAX_ALIAS_DEPTH = 32;

/**
 * The image a tag points at now, as an object in namespace `reader` may see it: the tag's newest
 * status item, following alias tags (a spec tag `from: {kind: ImageStreamTag}`) to their targets, as
 * the reference nodes pull (pullReference). Each step into another namespace needs that stream's
 * Pull grant for the namespace it comes from (the reader's, then each alias's own).
 */
export function resolveTag(lookup: StreamLookup, reader: string, namespace: string, stream: string, tag: string): TagResolution {
  const seen: string[] = [];
  for (let at = { namespace, stream, tag }, from = reader; ; ) {
    const here = streamTagKey(at);
    if (seen.includes(here) || seen.length > MAX_ALIAS_DEPTH) {
      return { ok: false, reason: 'AliasCycle', message: `alias tags form a cycle: ${[...seen, here].join(' -> ')}` };
    }
    seen.push(here);
    const object = lookup(at.namespace, at.stream);
    if (!object) return { ok: false, reason: 'StreamNotFound', message: `ImageStream '${at.namespace}/${at.stream}' not found${seen.length > 1 ? ` (alias of ${seen[0]})` : ''}` };
    if (!mayAccess(object, from, 'Pull')) return { ok: false, reason: 'AccessDenied', message: accessDeniedMessage(object, from, 'Pull') };
    const spec = object.spec.tags?.find((t) => t.name === at.tag);
    const source = spec?.from;
    if (source?.kind === 'ImageStreamImage') return resolveStreamImage(lookup, at.namespace, source, seen, object.status?.tags?.find((t) => t.tag === at.tag)?.items?.[0]);
    if (source?.kind === 'ImageStreamTag') {
      const target = tryAliasTarget(source, at);
      if (!target) return { ok: false, reason: 'InvalidAlias', message: `${here} follows '${source.name}', which is not stream:tag or a tag of the same stream` };
      from = at.namespace;
      at = target;
      continue;
    }
    // A reference tag (OpenShift's `reference: true`) is never imported: it resolves to the image as written.
    if (spec?.reference && source?.kind === 'DockerImage') return { ok: true, image: source.name, buildImage: source.name };
    const status = object.status?.tags?.find((t) => t.tag === at.tag);
    const item = status?.items?.[0];
    if (!item) return { ok: false, reason: 'NoImage', message: `${here} has no image yet${importFailure(status?.conditions)}` };
    return { ok: true, image: pullReference(object, at.tag, item), buildImage: buildReference(object, at.tag, item) };
  }
}

/**
 * An ImageStreamImage a build starts from (`strategy.*Strategy.from`): that image of the named stream's
 * history, which must grant Pull to the build's namespace.
 */
export function resolveImageStreamImage(lookup: StreamLookup, reader: string, ref: { readonly name: string; readonly namespace?: string }): TagResolution {
  return resolveStreamImage(lookup, reader, ref, [`ImageStreamImage ${ref.namespace ?? reader}/${ref.name}`], undefined);
}

/**
 * A tag `from` an ImageStreamImage: that image of the named stream's history, pulled as that stream's
 * tags pull it; the stream must grant Pull to the tag's namespace (`from`), as for an alias. The
 * image is looked for in that stream's status, else in what the tag recorded of it (`recorded`, its
 * newest item: the importer copies the image there from the whole history when the tag is set, and
 * the controller's cache keeps only each tag's newest item).
 */
function resolveStreamImage(lookup: StreamLookup, from: string, source: { name: string; namespace?: string }, seen: readonly string[], recorded: TagEvent | undefined): TagResolution {
  const ref = streamImageRef(source, from);
  if (!ref) return { ok: false, reason: 'InvalidAlias', message: `${seen[seen.length - 1]}: ${invalidStreamImage(source.name)}` };
  const object = lookup(ref.namespace, ref.stream);
  if (!object) return { ok: false, reason: 'StreamNotFound', message: `ImageStream '${ref.namespace}/${ref.stream}' not found (the ImageStreamImage of ${seen[seen.length - 1]})` };
  if (!mayAccess(object, from, 'Pull')) return { ok: false, reason: 'AccessDenied', message: accessDeniedMessage(object, from, 'Pull') };
  const found = findStreamImage(object, ref.digest) ?? (recorded?.image === ref.digest ? { tag: '', item: recorded } : undefined);
  if (!found) return { ok: false, reason: 'ImageNotFound', message: `${seen[seen.length - 1]}: ${streamImageNotFound(ref)}` };
  return { ok: true, image: pullReference(object, found.tag, found.item), buildImage: buildReference(object, found.tag, found.item) };
}

/**
 * Where nodes pull an item from. Images in the stream's own registry (builds push to
 * imageRepository) are pulled from publicImageRepository at the digest; so are tags with
 * referencePolicy Local. An imported item stays at its source (referencePolicy Source, the
 * default): the import records a digest, it copies nothing into the stream's registry.
 */
export function pullReference(stream: ImageStreamObject, tag: string, item: { dockerImageReference: string; image: string }): string {
  return referenceAt(stream.spec.publicImageRepository, stream, tag, item);
}

/**
 * Where build pods pull an item from (BASE_IMAGE): as pullReference, but at the stream's
 * imageRepository, the address builds push to and reach from inside the cluster.
 */
export function buildReference(stream: ImageStreamObject, tag: string, item: { dockerImageReference: string; image: string }): string {
  return referenceAt(stream.spec.imageRepository ?? stream.spec.publicImageRepository, stream, tag, item);
}

/** `repository@digest` for items of the stream's own registry (pushed there, or referencePolicy Local); else the item's own reference. */
function referenceAt(repository: string | undefined, stream: ImageStreamObject, tag: string, item: { dockerImageReference: string; image: string }): string {
  if (!repository) return item.dockerImageReference;
  const { imageRepository, publicImageRepository } = stream.spec;
  const local = referencePolicyType(stream.spec.tags?.find((t) => t.name === tag)) === 'Local';
  const pushedHere = [imageRepository, publicImageRepository].some((r) => r !== undefined && item.dockerImageReference.startsWith(`${r}@`));
  return local || pushedHere ? `${repository}@${item.image}` : item.dockerImageReference;
}

/**
 * The streams that alias tags of `object` point at, and those its ImageStreamImage tags name, as
 * `namespace/name` (for the reverse index: a change there may change what these tags resolve to).
 */
export function aliasTargets(object: ImageStreamObject): string[] {
  const here = { namespace: object.metadata.namespace ?? '', stream: object.metadata.name };
  const out = new Set<string>();
  for (const t of object.spec.tags ?? []) {
    const image = t.from?.kind === 'ImageStreamImage' ? streamImageRef(t.from, here.namespace) : undefined;
    if (image) out.add(`${image.namespace}/${image.stream}`);
    if (t.from?.kind !== 'ImageStreamTag') continue;
    const target = tryAliasTarget(t.from, here);
    if (target) out.add(`${target.namespace}/${target.stream}`);
  }
  return [...out];
}

/** `: its import failed (Reason: message)` when the tag's last import failed, so that whoever waits on it sees why. */
function importFailure(conditions: readonly TagEventCondition[] | undefined): string {
  const failed = conditions?.find((c) => c.type === 'ImportSuccess' && c.status === 'False');
  return failed ? `: its import failed (${failed.reason}: ${failed.message})` : '';
}

function tryAliasTarget(from: { name: string; namespace?: string }, here: { namespace: string; stream: string }) {
  try {
    return aliasTarget(from, here);
  } catch {
    return undefined;
  }
}
