import { setFlagsFromString } from 'node:v8';
import { formatReference, parseReference } from '../../api/image-reference';
import { chooseTag, type TagChoice, type TagPolicySpec, TagPolicyError } from '../../api/tag-policy';
import { RegistryError } from '../registry/errors';
import type { ResolveOptions } from '../registry/options';
import { listTags } from '../registry/tags';

// A tag filter is a stream owner's regular expression run in the shared controller: V8 switches a
// regexp that backtracks excessively to its linear-time engine, which takes every pattern the policy
// allows (RE2's: no backreferences or lookaround), so no pattern can hold the process.
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

/** The tag a policy chose, as the reference to import (`registry/repository:tag`). */
export interface PolicyPick {
  readonly reference: string;
  readonly choice: TagChoice;
}

export interface PolicyTagsOptions extends ResolveOptions {
  /** Tags asked for per page of tags/list. @default 1000 */
  readonly pageSize?: number;
}

/** Tags listed at most: a repository with more is refused rather than read forever. */
export const MAX_LISTED_TAGS = 100_000;

/**
 * Lists the tags of `from`'s repository (tags/list, every page, the stream's credentials) and returns
 * the one `policy` chooses. Throws a RegistryError: the registry's, `NoTagMatchesPolicy` when no tag
 * counts, `InvalidTagPolicy` for a policy the CRD let through but that can't be used.
 */
export async function pickPolicyTag(from: string, policy: TagPolicySpec, options: PolicyTagsOptions = {}): Promise<PolicyPick> {
  let repository;
  try {
    const ref = parseReference(from);
    repository = { registry: ref.registry, repository: ref.repository };
  } catch (error) {
    throw new RegistryError('InvalidReference', (error as Error).message);
  }
  const tags = await listTags(repository, { ...options, pageSize: options.pageSize ?? 1000, max: MAX_LISTED_TAGS });
  let choice;
  try {
    choice = chooseTag(policy, tags);
  } catch (error) {
    if (error instanceof TagPolicyError) throw new RegistryError('InvalidTagPolicy', error.message);
    throw error;
  }
  if (!choice) throw new RegistryError('NoTagMatchesPolicy', `none of the ${tags.length} tags of ${repository.registry}/${repository.repository} counts for the tag policy`);
  return { reference: formatReference({ ...repository, tag: choice.tag }), choice };
}
