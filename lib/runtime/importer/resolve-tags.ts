import type { NamedTagEventList } from '../../api/imagestream';
import type { DockerConfig } from '../registry/auth';
import { resolveMany, type ResolveOutcome, type ResolveRequest } from '../registry/resolve-many';
import type { RecordedImage, ResolveOptions } from '../registry/options';
import { parsePlatform } from '../../api/platform';
import type { TagImportResult } from '../imagestreams/results';
import type { ImportableTag } from './select-tags';

export interface ResolveTagsOptions {
  /** Resolutions in flight at once. @default 8 */
  readonly concurrency?: number;
  readonly dockerConfig?: DockerConfig;
  /** Passed to the registry client for every tag (timeouts, retries, auth cache). */
  readonly registry?: ResolveOptions;
  /**
   * The stream's status tags: each tag's history tells the resolver what it recorded, so that an
   * unchanged tag costs no GET and a changed one is verified. @default - none: every digest is verified
   */
  readonly status?: readonly NamedTagEventList[];
}

export const DEFAULT_CONCURRENCY = 8;

/**
 * Resolves each tag's source to a digest, verified unless the tag recorded it last; a failing tag
 * becomes a failed result, never an exception.
 */
export async function resolveTags(tags: readonly ImportableTag[], options: ResolveTagsOptions = {}): Promise<TagImportResult[]> {
  const results: (TagImportResult | undefined)[] = new Array(tags.length);
  const requests: ResolveRequest[] = [];
  const requested: number[] = [];
  const history = new Map((options.status ?? []).map((t) => [t.tag, t.items ?? []]));
  tags.forEach((tag, i) => {
    try {
      const recorded: RecordedImage[] = (history.get(tag.name) ?? []).map((item) => ({ digest: item.image, indexDigest: item.indexDigest, platform: item.platform }));
      requests.push({ reference: tag.from.name, options: { ...tagOptions(tag), recorded } });
      requested.push(i);
    } catch (error) {
      results[i] = failed(tag, 'InvalidPlatform', (error as Error).message);
    }
  });
  const outcomes = await resolveMany(requests, {
    ...options.registry,
    ...(options.dockerConfig ? { dockerConfig: options.dockerConfig } : {}),
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
  });
  outcomes.forEach((outcome, k) => {
    results[requested[k]] = toResult(tags[requested[k]], outcome);
  });
  return results as TagImportResult[];
}

function toResult(tag: ImportableTag, outcome: ResolveOutcome): TagImportResult {
  if (!outcome.ok) return failed(tag, outcome.error.reason, outcome.error.message);
  const { digest, dockerImageReference, platform } = outcome.image;
  // The platform asked for, not the entry's own (which may add a variant): the next import compares it with its ask.
  const picked = platform ? { indexDigest: platform.indexDigest, platform: platform.requested } : {};
  return { tag: tag.name, from: tag.from.name, ok: true, image: digest, dockerImageReference, ...picked };
}

function failed(tag: ImportableTag, reason: string, message: string): TagImportResult {
  return { tag: tag.name, from: tag.from.name, ok: false, reason, message };
}

/** The tag's import policy as registry options; unset fields stay unset so shared options apply. */
function tagOptions(tag: ImportableTag): ResolveOptions {
  const { importMode, insecure, preferredPlatform } = tag.importPolicy ?? {};
  return {
    ...(importMode ? { importMode } : {}),
    ...(insecure !== undefined ? { insecure } : {}),
    ...(preferredPlatform ? { platform: parsePlatform(preferredPlatform) } : {}),
  };
}
