/**
 * Tag policies: a stream tag that follows "the newest tag" of a repository, chosen from the
 * registry's tag list as Flux's ImagePolicy chooses — a semver range (pre-releases in or out), an
 * alphabetical or numerical order, after an optional regex filter that may extract the part to order
 * by. Pure: the constructs check policies at synth time with it, and the importer chooses with it.
 * @see https://fluxcd.io/flux/components/image/imagepolicies/
 */
import Range = require('semver/classes/range');
import SemVer = require('semver/classes/semver');

export type PolicyOrder = 'asc' | 'desc';

export interface TagPolicySpec {
  /** Only tags matching `pattern` count; with `extract` (`$name`, `${name}`, `$1`), the policy orders what it extracts. */
  readonly filterTags?: { readonly pattern: string; readonly extract?: string };
  /** The highest version in `range`; `prereleases` lets every pre-release in the range count. */
  readonly semver?: { readonly range: string; readonly prereleases?: boolean };
  /** asc (default): the last tag in alphabetical order; desc: the first. */
  readonly alphabetical?: { readonly order?: PolicyOrder };
  /** asc (default): the highest number; desc: the lowest. */
  readonly numerical?: { readonly order?: PolicyOrder };
}

/** The tag a policy chose, and why, as the stream's status records it. */
export interface TagChoice {
  readonly tag: string;
  /** One line: the rule, the value that won, and how many tags counted. */
  readonly reason: string;
  /** Tags that passed the filter and could be ordered. */
  readonly candidates: number;
}

/** Why a policy is not one; the message names the field and the fix. */
export class TagPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TagPolicyError';
  }
}

const KINDS = ['semver', 'alphabetical', 'numerical'] as const;

/** Every problem of a policy (empty when it is sound), each naming its field. */
export function tagPolicyProblems(policy: TagPolicySpec): string[] {
  const problems: string[] = [];
  const kinds = KINDS.filter((k) => policy[k] !== undefined);
  if (kinds.length !== 1) problems.push(`a tag policy needs exactly one of semver, alphabetical or numerical, not ${kinds.length === 0 ? 'none' : kinds.join(' and ')}`);
  if (policy.semver) {
    try {
      semverRange(policy.semver.range, policy.semver.prereleases);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  for (const kind of ['alphabetical', 'numerical'] as const) {
    const order = policy[kind]?.order;
    if (order !== undefined && order !== 'asc' && order !== 'desc') problems.push(`'${kind}.order' (${order}) must be asc or desc`);
  }
  if (policy.filterTags) {
    try {
      tagFilter(policy.filterTags.pattern, policy.filterTags.extract);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return problems;
}

/**
 * The tag `policy` chooses among `tags`, or undefined when none counts. Throws TagPolicyError for a
 * policy that tagPolicyProblems would refuse.
 */
export function chooseTag(policy: TagPolicySpec, tags: readonly string[]): TagChoice | undefined {
  const problems = tagPolicyProblems(policy);
  if (problems.length > 0) throw new TagPolicyError(problems.join('; '));
  const filter = policy.filterTags ? tagFilter(policy.filterTags.pattern, policy.filterTags.extract) : undefined;
  const values: { tag: string; value: string }[] = [];
  for (const tag of tags) {
    const value = filter ? filter(tag) : tag;
    if (value !== undefined) values.push({ tag, value });
  }
  const filtered = filter ? ` of those matching /${policy.filterTags!.pattern}/` : '';
  if (policy.semver) return bestBy(values, semverKey(policy.semver.range, policy.semver.prereleases), 'asc', (w, n) => `highest version in range '${policy.semver!.range}'${policy.semver!.prereleases ? ' (pre-releases included)' : ''}: ${w}, of ${n} tag${n === 1 ? '' : 's'}${filtered}`);
  if (policy.numerical) {
    const order = policy.numerical.order ?? 'asc';
    return bestBy(values, numericKey, order, (w, n) => `${order === 'asc' ? 'highest' : 'lowest'} number: ${w}, of ${n} numeric tag${n === 1 ? '' : 's'}${filtered}`);
  }
  const order = policy.alphabetical?.order ?? 'asc';
  return bestBy(values, (v) => ({ compare: v }), order, (w, n) => `${order === 'asc' ? 'last' : 'first'} in alphabetical order: ${w}, of ${n} tag${n === 1 ? '' : 's'}${filtered}`);
}

type Key = { readonly compare: string | number | SemVer };

/**
 * The best tag by `key` (undefined keys don't count) in `order`; equal keys are told apart by the tag
 * itself (the later in byte order wins), so the choice never depends on the registry's list order.
 */
function bestBy(values: readonly { tag: string; value: string }[], key: (value: string) => Key | undefined, order: PolicyOrder, reason: (winner: string, candidates: number) => string): TagChoice | undefined {
  let best: { tag: string; value: string; key: Key } | undefined;
  let candidates = 0;
  for (const { tag, value } of values) {
    const k = key(value);
    if (k === undefined) continue;
    candidates++;
    if (!best) {
      best = { tag, value, key: k };
      continue;
    }
    const byKey = compareKeys(k, best.key) * (order === 'asc' ? 1 : -1);
    if (byKey > 0 || (byKey === 0 && tag > best.tag)) best = { tag, value, key: k };
  }
  if (!best) return undefined;
  const winner = best.value === best.tag ? best.tag : `${best.value} (tag ${best.tag})`;
  return { tag: best.tag, candidates, reason: reason(winner, candidates) };
}

function compareKeys(a: Key, b: Key): number {
  if (a.compare instanceof SemVer && b.compare instanceof SemVer) return a.compare.compare(b.compare);
  if (typeof a.compare === 'number' && typeof b.compare === 'number') return a.compare - b.compare;
  return a.compare < b.compare ? -1 : a.compare > b.compare ? 1 : 0;
}

const numericKey = (value: string): Key | undefined => {
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? { compare: n } : undefined;
};

/**
 * Versions as Flux reads tags (Masterminds' loose parse): an optional `v`, one to three numbers
 * (missing ones are 0), then an optional pre-release and build. `1.27`, `v1.27.3`, `2.0.0-rc.1`.
 */
const VERSION = /^v?(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?(?:\.(0|[1-9]\d*))?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

export function tagVersion(tag: string): SemVer | undefined {
  const m = VERSION.exec(tag);
  if (!m) return undefined;
  try {
    return new SemVer(`${m[1]}.${m[2] ?? '0'}.${m[3] ?? '0'}${m[4] ?? ''}${m[5] ?? ''}`);
  } catch {
    return undefined;
  }
}

function semverKey(range: string, prereleases?: boolean): (value: string) => Key | undefined {
  const parsed = semverRange(range, prereleases);
  return (value) => {
    const version = tagVersion(value);
    return version && parsed.test(version) ? { compare: version } : undefined;
  };
}

/** A range in npm's syntax, or Masterminds' (Flux): `,` joins comparators as a space does. */
function semverRange(range: string, prereleases?: boolean): Range {
  if (typeof range !== 'string' || range.trim() === '') throw new TagPolicyError("'semver.range' is empty: write a range such as '>=1.27.0 <1.28.0', '^1.27' or '1.x'");
  try {
    return new Range(range.replace(/\s*,\s*/g, ' '), { includePrerelease: prereleases === true });
  } catch {
    throw new TagPolicyError(`'semver.range' (${range}) is not a semver range: write one such as '>=1.27.0 <1.28.0', '^1.27' or '1.x'`);
  }
}

/**
 * A filter from a pattern in RE2 syntax (what Flux's Go regexps take): `(?P<name>…)` groups work, a
 * leading `(?i)` makes it case-insensitive; what RE2 lacks (backreferences, lookaround) is refused,
 * which also keeps matching linear. Returns what `extract` expands to for a matching tag, else the
 * tag; undefined when the tag doesn't match.
 */
export function tagFilter(pattern: string, extract?: string): (tag: string) => string | undefined {
  if (typeof pattern !== 'string' || pattern === '') throw new TagPolicyError("'filterTags.pattern' is empty");
  if (pattern.length > 512) throw new TagPolicyError(`'filterTags.pattern' is longer than 512 characters`);
  const unsupported = /\\[1-9]|\\k<|\(\?<?[=!]/.exec(pattern);
  if (unsupported) throw new TagPolicyError(`'filterTags.pattern' (${pattern}) uses '${unsupported[0]}', which RE2 (Flux's regexps) doesn't support: backreferences and lookaround are not allowed`);
  const caseless = pattern.startsWith('(?i)');
  let regexp: RegExp;
  try {
    regexp = new RegExp((caseless ? pattern.slice(4) : pattern).replace(/\(\?P</g, '(?<'), caseless ? 'i' : '');
  } catch (error) {
    throw new TagPolicyError(`'filterTags.pattern' (${pattern}) is not a regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
  if (extract === undefined || extract === '') return (tag) => (regexp.test(tag) ? tag : undefined);
  const groups = new Set(Object.keys(new RegExp(`${regexp.source}|`).exec('')?.groups ?? {}));
  const count = new RegExp(`${regexp.source}|`).exec('')!.length - 1;
  for (const [, braced, bare] of extract.matchAll(/\$\{(\w+)\}|\$(\w+)/g)) {
    const name = braced ?? bare;
    if (!groups.has(name) && !(/^\d+$/.test(name) && Number(name) <= count)) {
      throw new TagPolicyError(`'filterTags.extract' (${extract}) names '${name}', which is no group of the pattern: name one with (?P<${name}>…)`);
    }
  }
  return (tag) => {
    const m = regexp.exec(tag);
    if (!m) return undefined;
    return extract.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, braced: string | undefined, bare: string | undefined) => {
      const name = (braced ?? bare)!;
      return (/^\d+$/.test(name) ? m[Number(name)] : m.groups?.[name]) ?? '';
    });
  };
}
