import { tagPolicyProblems, type PolicyOrder, type TagPolicySpec } from '../../lib/api/tag-policy';

import { checkOptions, checkString, optionalBoolean, optionalString } from '../_input';

export type { PolicyOrder } from '../../lib/api/tag-policy';

const POLICY_BRAND = Symbol.for('cdk8s-imagestreams.TagPolicy');

/**
 * How a tag chooses which tag of a repository to follow: Flux's ImagePolicy options, with the same
 * meanings. Checked where it is made (ranges, patterns, extraction templates), so a mistake fails
 * synthesis, not an import.
 * @see https://fluxcd.io/flux/components/image/imagepolicies/
 */
export class TagPolicy {
  /** Whether `x` is a TagPolicy, across duplicate copies of this package (no `instanceof`). */
  static isTagPolicy(x: unknown): x is TagPolicy {
    return typeof x === 'object' && x !== null && POLICY_BRAND in x;
  }

  /**
   * The highest version in `range` (npm's syntax, or Masterminds' as Flux writes it: `>=1.2, <2`).
   * Tags are read as Flux reads them: an optional `v`, and missing minor or patch numbers as 0.
   * Pre-releases count only when the range names one of the same version, unless `prereleases`.
   */
  static semver(range: string, options: { readonly prereleases?: boolean } = {}): TagPolicy {
    checkString('TagPolicy.semver():', 'range', range, "'^1.27'");
    checkOptions('TagPolicy.semver():', 'the options', options, ['prereleases'], '{ prereleases: true }');
    optionalBoolean('TagPolicy.semver():', 'prereleases', options.prereleases);
    return TagPolicy.checked('TagPolicy.semver():', { semver: { range, ...(options.prereleases ? { prereleases: true } : {}) } });
  }

  /** The last tag in alphabetical (byte) order (`order: 'desc'`: the first). @default order 'asc' */
  static alphabetical(options: { readonly order?: PolicyOrder } = {}): TagPolicy {
    checkOrder('TagPolicy.alphabetical():', options);
    return TagPolicy.checked('TagPolicy.alphabetical():', { alphabetical: options.order ? { order: options.order } : {} });
  }

  /** The highest number (`order: 'desc'`: the lowest); tags that are no number don't count. @default order 'asc' */
  static numerical(options: { readonly order?: PolicyOrder } = {}): TagPolicy {
    checkOrder('TagPolicy.numerical():', options);
    return TagPolicy.checked('TagPolicy.numerical():', { numerical: options.order ? { order: options.order } : {} });
  }

  private static checked(at: string, spec: TagPolicySpec): TagPolicy {
    const problems = tagPolicyProblems(spec);
    if (problems.length > 0) throw new Error(`${at} invalid tag policy: ${problems.join('; ')}`);
    return new TagPolicy(spec);
  }

  private constructor(private readonly spec: TagPolicySpec) {
    Object.defineProperty(this, POLICY_BRAND, { value: true });
  }

  /**
   * This policy over only the tags matching `pattern` (RE2 syntax, as Flux: `(?P<name>…)` groups,
   * no backreferences or lookaround); with `extract` (`$name`, `${name}`, `$1`) it orders what the
   * template expands to, and follows the tag it came from.
   * @example TagPolicy.numerical().filter('^main-[a-f0-9]+-(?P<ts>[0-9]+)$', { extract: '$ts' })
   */
  filter(pattern: string, options: { readonly extract?: string } = {}): TagPolicy {
    checkString('TagPolicy.filter():', 'pattern', pattern, "'^v[0-9.]+$'");
    checkOptions('TagPolicy.filter():', 'the options', options, ['extract'], "{ extract: '$ts' }");
    optionalString('TagPolicy.filter():', 'extract', options.extract, "'$ts'");
    return TagPolicy.checked('TagPolicy.filter():', { ...this.spec, filterTags: { pattern, ...(options.extract ? { extract: options.extract } : {}) } });
  }

  /** The policy as the ImageStream's spec writes it. */
  toSpec(): TagPolicySpec {
    return JSON.parse(JSON.stringify(this.spec)) as TagPolicySpec;
  }
}

function checkOrder(at: string, options: { readonly order?: PolicyOrder }): void {
  checkOptions(at, 'the options', options, ['order'], "{ order: 'desc' }");
}
