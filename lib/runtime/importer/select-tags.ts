import { DEFAULT_IMPORT_INTERVAL_SECONDS, type ImageStreamObject, type NamedTagEventList, type TagSpec } from '../../api/imagestream';
import { isStreamImageTag } from './stream-image-tags';
import { cronPeriodSeconds, isImportDue, shortestScheduledInterval } from '../../api/import-schedule';

export interface SelectOptions {
  /**
   * Only scheduled tags that are due: whose next import would be late if it waited for the next run of
   * the stream's CronJob (see isImportDue). @default false
   */
  readonly scheduled?: boolean;
  /** Epoch milliseconds. */
  readonly now: number;
}

/** A spec tag the importer resolves: it has a DockerImage source. */
export type ImportableTag = TagSpec & { readonly from: { readonly kind: 'DockerImage'; readonly name: string } };

/**
 * The tags to import now: DockerImage sources that are neither reference-only nor paused. A tag
 * pinned by digest is imported once (to check that it exists) and then left alone. With `scheduled`,
 * only scheduled tags that are due at this run of the CronJob, whose period (the same rule made its
 * schedule) is known from the spec.
 */
export function tagsToImport(stream: ImageStreamObject, options: SelectOptions): ImportableTag[] {
  const status = new Map((stream.status?.tags ?? []).map((t) => [t.tag, t]));
  const period = cronPeriodSeconds(shortestScheduledInterval(stream.spec.tags ?? []));
  return (stream.spec.tags ?? []).filter(isImportable).filter((tag) => {
    const current = status.get(tag.name);
    if (isPinned(tag) && current?.items?.[0]?.image === pinnedDigest(tag)) return false;
    return !options.scheduled || isDue(tag, current?.lastImportAttempt, period, options.now);
  });
}

/**
 * The tags to import because the spec changed, as OpenShift imports a tag when it is created or
 * changed: importable tags without an import attempt at the stream's current generation (a new tag,
 * a new source or policy, or any other change of the spec: re-checking the rest costs a HEAD each),
 * but for tags pinned to the digest they have recorded; and tags from an ImageStreamImage, which
 * record that image then. The controller imports these at once, `scheduled: false` ones included;
 * imports record the generation in the tag's ImportSuccess condition.
 */
export function tagsAwaitingImport(stream: ImageStreamObject): TagSpec[] {
  const generation = stream.metadata.generation ?? 0;
  const status = new Map((stream.status?.tags ?? []).map((t) => [t.tag, t]));
  return (stream.spec.tags ?? []).filter((tag) => {
    if (!isImportable(tag) && !isStreamImageTag(tag)) return false;
    const current = status.get(tag.name);
    if (isImportable(tag) && isPinned(tag) && current?.items?.[0]?.image === pinnedDigest(tag)) return false;
    const attempted = attemptedAt(current);
    return attempted === undefined || attempted < generation;
  });
}

/** The stream generation of the tag's last import attempt (its ImportSuccess condition's). */
function attemptedAt(status: NamedTagEventList | undefined): number | undefined {
  return status?.conditions?.find((c) => c.type === 'ImportSuccess')?.generation;
}

export function isImportable(tag: TagSpec): tag is ImportableTag {
  return tag.from?.kind === 'DockerImage' && !tag.reference && !tag.importPolicy?.paused;
}

function isPinned(tag: ImportableTag): boolean {
  return tag.from.name.includes('@');
}

function pinnedDigest(tag: ImportableTag): string {
  return tag.from.name.slice(tag.from.name.indexOf('@') + 1);
}

function isDue(tag: ImportableTag, lastAttempt: string | undefined, period: number, now: number): boolean {
  if (!tag.importPolicy?.scheduled) return false;
  const last = lastAttempt === undefined ? NaN : Date.parse(lastAttempt);
  return isImportDue(last, tag.importPolicy.intervalSeconds ?? DEFAULT_IMPORT_INTERVAL_SECONDS, period, now);
}
