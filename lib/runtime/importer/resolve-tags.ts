import type { NamedTagEventList } from '../../api/imagestream';
import type { DockerConfig } from '../registry/auth';
import { resolveMany, type ResolveOutcome, type ResolveRequest } from '../registry/resolve-many';
import type { RecordedImage, ResolveOptions } from '../registry/options';
import { parsePlatform } from '../../api/platform';
import type { TagImportResult } from '../imagestreams/results';
import type { ImportableTag } from './select-tags';
import type { TagChoice } from '../../api/tag-policy';
import { RegistryError } from '../registry/errors';
import { pickPolicyTag, type PolicyPick } from './policy-tags';

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
  const shared: ResolveOptions = { ...options.registry, ...(options.dockerConfig ? { dockerConfig: options.dockerConfig } : {}) };
  const picks = await pickPolicyTags(tags, shared, options.concurrency ?? DEFAULT_CONCURRENCY);
  tags.forEach((tag, i) => {
    const pick = picks[i];
    if (pick && !pick.ok) return void (results[i] = failed(tag, pick.error.reason, pick.error.message));
    try {
      const recorded: RecordedImage[] = (history.get(tag.name) ?? []).map((item) => ({ digest: item.image, indexDigest: item.indexDigest, platform: item.platform }));
      requests.push({ reference: pick?.ok ? pick.pick.reference : tag.from.name, options: { ...tagOptions(tag), recorded } });
      requested.push(i);
    } catch (error) {
      results[i] = failed(tag, 'InvalidPlatform', (error as Error).message);
    }
  });
  const outcomes = await resolveMany(requests, { ...shared, concurrency: options.concurrency ?? DEFAULT_CONCURRENCY });
  outcomes.forEach((outcome, k) => {
    const i = requested[k];
    const pick = picks[i];
    results[i] = toResult(tags[i], outcome, pick?.ok ? pick.pick.choice : undefined);
  });
  return results as TagImportResult[];
}

type PickOutcome = { readonly ok: true; readonly pick: PolicyPick } | { readonly ok: false; readonly error: RegistryError };

/** For each tag with a tagPolicy, the tag it chooses now (or why none), `concurrency` listings at a time. */
async function pickPolicyTags(tags: readonly ImportableTag[], shared: ResolveOptions, concurrency: number): Promise<(PickOutcome | undefined)[]> {
  const picks: (PickOutcome | undefined)[] = new Array(tags.length);
  const pending = tags.map((tag, i) => ({ tag, i })).filter(({ tag }) => tag.tagPolicy !== undefined);
  const worker = async () => {
    for (let next = pending.shift(); next; next = pending.shift()) {
      const { tag, i } = next;
      let own: ResolveOptions;
      try {
        own = tagOptions(tag);
      } catch {
        continue; // an invalid preferredPlatform: reported as InvalidPlatform with the tag's result
      }
      try {
        picks[i] = { ok: true, pick: await pickPolicyTag(tag.from.name, tag.tagPolicy!, { ...shared, ...own }) };
      } catch (error) {
        if (!RegistryError.isRegistryError(error)) throw error;
        picks[i] = { ok: false, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, pending.length) }, worker));
  return picks;
}

function toResult(tag: ImportableTag, outcome: ResolveOutcome, choice?: TagChoice): TagImportResult {
  if (!outcome.ok) return failed(tag, outcome.error.reason, outcome.error.message);
  const { digest, dockerImageReference, platform } = outcome.image;
  // The platform asked for, not the entry's own (which may add a variant): the next import compares it with its ask.
  const picked = platform ? { indexDigest: platform.indexDigest, platform: platform.requested } : {};
  return { tag: tag.name, from: tag.from.name, ok: true, image: digest, dockerImageReference, ...picked, ...(choice ? { policy: choice } : {}) };
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
