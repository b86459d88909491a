import {
  DEFAULT_HISTORY_LIMIT,
  type ImageStreamObject,
  type ImageStreamStatus,
  type NamedTagEventList,
  type TagEvent,
  type TagEventCondition,
} from '../../api/imagestream';
import type { TagImportResult } from './results';
import { fromRepositoryImport, repositoryTagSource } from '../../api/repository-import';

export const IMPORT_SUCCESS = 'ImportSuccess';
/** The reason of a True ImportSuccess condition. */
export const IMPORTED_REASON = 'Imported';

export interface MergedStatus {
  readonly status: ImageStreamStatus;
  /** Tags that got a new newest item. */
  readonly moved: readonly string[];
}

/**
 * Folds import results into a stream's status, as of `now` (RFC 3339). Pure, so that a writer that
 * lost a resourceVersion race can recompute from the fresh object without importing again.
 *
 * - A new item goes in front only when the reference (repository and digest) differs from the newest.
 * - A failed import keeps the items and sets ImportSuccess False with the registry's reason.
 * - lastTransitionTime changes only when the condition's status does.
 * - Status of tags no longer in spec is dropped (as `oc tag -d` drops it); build-pushed tags are in
 *   spec too (without `from`), so nothing another writer owns is lost. Tags imported from the
 *   stream's spec.dockerImageRepository (status.repositoryImport lists them) are kept, and a result
 *   of such a tag (from `repository:tag`) is merged although no spec tag names it.
 * - A result is ignored when its tag now points somewhere else than what was resolved, or was paused
 *   since (a rollback that raced this import must not be undone by it).
 */
export function mergeImportResults(stream: ImageStreamObject, results: readonly TagImportResult[], now: string): MergedStatus {
  const specTags = new Map((stream.spec.tags ?? []).map((t) => [t.name, t]));
  const limit = stream.spec.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  const generation = stream.metadata.generation;
  const byTag = new Map((stream.status?.tags ?? []).filter((t) => specTags.has(t.tag) || fromRepositoryImport(stream, t.tag)).map((t) => [t.tag, t]));
  const repository = stream.spec.dockerImageRepository;
  const moved: string[] = [];
  for (const result of results) {
    const spec = specTags.get(result.tag);
    const ofRepository = !spec && repository !== undefined && result.from === repositoryTagSource(repository, result.tag);
    if (!ofRepository && (spec?.from?.name !== result.from || spec?.importPolicy?.paused)) continue;
    const current = byTag.get(result.tag) ?? { tag: result.tag };
    const next = mergeOne(current, result, { now, limit, generation });
    if (!sameImage(next.items?.[0], current.items?.[0])) moved.push(result.tag);
    byTag.set(result.tag, next);
  }
  const tags = [...byTag.values()].sort((a, b) => specOrder(specTags, a.tag) - specOrder(specTags, b.tag));
  return { status: { ...stream.status, tags }, moved };
}

export interface MergeContext {
  /** RFC 3339, the new item's `created`. */
  readonly now: string;
  readonly limit: number;
  readonly generation?: number;
}

function mergeOne(current: NamedTagEventList, result: TagImportResult, ctx: MergeContext): NamedTagEventList {
  const items = result.ok ? withNewest(current.items ?? [], result, ctx) : current.items;
  const condition: TagEventCondition = result.ok
    ? { type: IMPORT_SUCCESS, status: 'True', reason: IMPORTED_REASON, message: `imported ${result.image}` }
    : { type: IMPORT_SUCCESS, status: 'False', reason: result.reason, message: result.message };
  return {
    ...current,
    ...(items ? { items } : {}),
    conditions: withCondition(current.conditions ?? [], { ...condition, generation: ctx.generation }, ctx.now),
    lastImportAttempt: ctx.now,
    ...(result.ok && result.policy ? { policy: result.policy } : {}),
  };
}

/** What an item records: the image, and for a Legacy pick out of a manifest list, the list and platform. */
export type NewItem = Pick<TagEvent, 'image' | 'dockerImageReference' | 'indexDigest' | 'platform'>;

/**
 * The items with this image in front, unless it is the newest already; trimmed to the limit. When it
 * is, and was picked out of another manifest list now, the newest item notes the new list (the same
 * platform image in a list that changed), so that the next import finds the pick recorded.
 */
export function withNewest(items: readonly TagEvent[], result: NewItem, ctx: MergeContext): TagEvent[] {
  const newest = items[0];
  const same = newest?.image === result.image && newest.dockerImageReference === result.dockerImageReference;
  if (same) {
    if (newest.indexDigest === result.indexDigest && newest.platform === result.platform) return [...items].slice(0, ctx.limit);
    const { indexDigest: _i, platform: _p, ...plain } = newest;
    return [dropUndefined<TagEvent>({ ...plain, indexDigest: result.indexDigest, platform: result.platform }), ...items.slice(1)].slice(0, ctx.limit);
  }
  const event = dropUndefined<TagEvent>({
    dockerImageReference: result.dockerImageReference, image: result.image, created: ctx.now, generation: ctx.generation,
    indexDigest: result.indexDigest, platform: result.platform,
  });
  return [event, ...items].slice(0, ctx.limit);
}

/** Replaces the condition of the same type, keeping lastTransitionTime unless the status changed. */
export function withCondition(conditions: readonly TagEventCondition[], next: TagEventCondition, now: string): TagEventCondition[] {
  const previous = conditions.find((c) => c.type === next.type);
  const lastTransitionTime = previous && previous.status === next.status ? previous.lastTransitionTime ?? now : now;
  return [...conditions.filter((c) => c.type !== next.type), dropUndefined({ ...next, lastTransitionTime })];
}

function sameImage(a: TagEvent | undefined, b: TagEvent | undefined): boolean {
  return a?.image === b?.image && a?.dockerImageReference === b?.dockerImageReference;
}

/** Spec tags in spec order, then the others (a repository's) in the order they were recorded. */
function specOrder(specTags: Map<string, unknown>, tag: string): number {
  const at = [...specTags.keys()].indexOf(tag);
  return at === -1 ? Number.MAX_SAFE_INTEGER : at;
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
