import { describe, expect, it } from 'vitest';
import { chooseTag, tagFilter, TagPolicyError, tagPolicyProblems, tagVersion } from '../../lib/api/tag-policy';

const TAGS = ['1.25.0', '1.26.3', 'v1.27.0', '1.27.2', '1.27.10', '1.27.11-rc.1', '1.28.0-beta.2', '1.28', 'latest', 'stable', '1.27.2-alpine', 'main-3f2a-1712000000', 'main-9b1c-1712500000', 'main-00aa-999'];

describe('chooseTag', () => {
  describe('semver', () => {
    it('picks the highest version in the range, without pre-releases unless asked', () => {
      expect(chooseTag({ semver: { range: '>=1.27.0 <1.28.0' } }, TAGS)).toEqual({
        tag: '1.27.10', candidates: 3, reason: "highest version in range '>=1.27.0 <1.28.0': 1.27.10, of 3 tags",
      });
      // With pre-releases, 1.28.0-beta.2 is below 1.28.0: '<1.28.0-0' ends the range before 1.28's pre-releases
      expect(chooseTag({ semver: { range: '>=1.27.0 <1.28.0', prereleases: true } }, TAGS)?.tag).toBe('1.28.0-beta.2');
      expect(chooseTag({ semver: { range: '>=1.27.0 <1.28.0-0', prereleases: true } }, TAGS)?.tag).toBe('1.27.11-rc.1');
      // A pre-release is not above the release it precedes: 1.28.0-beta.2 < 1.28
      expect(chooseTag({ semver: { range: '>=1.27.0', prereleases: true } }, TAGS)?.tag).toBe('1.28');
    });

    it('reads tags as Flux does: an optional v, missing minor and patch as 0; caret, tilde, x-ranges and Masterminds commas', () => {
      expect(chooseTag({ semver: { range: '^1.26' } }, TAGS)?.tag).toBe('1.28');
      expect(chooseTag({ semver: { range: '~1.27.0' } }, ['v1.27.0', '1.27.1', 'v1.27.5'])?.tag).toBe('v1.27.5');
      expect(chooseTag({ semver: { range: '1.27.x' } }, TAGS)?.tag).toBe('1.27.10');
      expect(chooseTag({ semver: { range: '>= 1.25, < 1.27' } }, TAGS)?.tag).toBe('1.26.3');
      expect(tagVersion('1.2-alpine')?.version).toBe('1.2.0-alpine');
      expect([tagVersion('latest'), tagVersion('01.2.3'), tagVersion('1.2.3.4')]).toEqual([undefined, undefined, undefined]);
    });

    it('includes a range\'s own pre-releases of the same version, as npm and Masterminds do', () => {
      expect(chooseTag({ semver: { range: '>=1.27.11-rc.0 <1.28.0' } }, TAGS)?.tag).toBe('1.27.11-rc.1');
    });

    it('tells equal versions apart by the tag, never by the registry\'s order', () => {
      expect(chooseTag({ semver: { range: '1.x' } }, ['v1.2.0', '1.2', '1.2.0'])?.tag).toBe('v1.2.0');
      expect(chooseTag({ semver: { range: '1.x' } }, ['1.2.0', '1.2', 'v1.2.0'])?.tag).toBe('v1.2.0');
    });

    it('chooses nothing when nothing is in range', () => {
      expect(chooseTag({ semver: { range: '>=2' } }, TAGS)).toBeUndefined();
    });
  });

  describe('a regex filter with extraction', () => {
    it("orders what the pattern extracts and records the tag: Flux's main-<sha>-<timestamp> example, numerically", () => {
      expect(chooseTag({ filterTags: { pattern: '^main-[a-f0-9]+-(?P<ts>\\d+)$', extract: '$ts' }, numerical: { order: 'asc' } }, TAGS)).toEqual({
        tag: 'main-9b1c-1712500000', candidates: 3, reason: 'highest number: 1712500000 (tag main-9b1c-1712500000), of 3 numeric tags of those matching /^main-[a-f0-9]+-(?P<ts>\\d+)$/',
      });
      expect(chooseTag({ filterTags: { pattern: '^main-[a-f0-9]+-(?P<ts>\\d+)$', extract: '${ts}' }, numerical: { order: 'desc' } }, TAGS)?.tag).toBe('main-00aa-999');
    });

    it('orders numbers as numbers and text as text: 999 < 1712000000 numerically, not alphabetically', () => {
      expect(chooseTag({ filterTags: { pattern: '^main-\\w+-(\\d+)$', extract: '$1' }, alphabetical: {} }, TAGS)?.tag).toBe('main-00aa-999');
    });

    it('filters without extraction, and semver after a filter (the -alpine variants only)', () => {
      expect(chooseTag({ filterTags: { pattern: '-alpine$' }, alphabetical: { order: 'desc' } }, TAGS)?.tag).toBe('1.27.2-alpine');
      expect(chooseTag({ filterTags: { pattern: '^(?P<v>.*)-alpine$', extract: '$v' }, semver: { range: '1.x' } }, TAGS)).toEqual({
        tag: '1.27.2-alpine', candidates: 1, reason: "highest version in range '1.x': 1.27.2 (tag 1.27.2-alpine), of 1 tag of those matching /^(?P<v>.*)-alpine$/",
      });
      expect(chooseTag({ filterTags: { pattern: '(?i)^STABLE$' }, alphabetical: {} }, TAGS)?.tag).toBe('stable');
    });
  });

  it('alphabetical: asc picks the last, desc the first, in byte order', () => {
    expect(chooseTag({ alphabetical: {} }, ['b', 'a', 'c', 'B'])).toEqual({ tag: 'c', candidates: 4, reason: 'last in alphabetical order: c, of 4 tags' });
    expect(chooseTag({ alphabetical: { order: 'desc' } }, ['b', 'a', 'c', 'B'])?.tag).toBe('B');
  });

  it('chooses among 5,000 tags in well under a second', () => {
    const many = Array.from({ length: 5000 }, (_, i) => `1.${Math.floor(i / 100)}.${i % 100}`);
    const started = performance.now();
    expect(chooseTag({ semver: { range: '>=1.20.0 <1.30.0' } }, many)).toMatchObject({ tag: '1.29.99', candidates: 1000 });
    expect(performance.now() - started).toBeLessThan(250);
  });

  it('numerical skips what is not a number', () => {
    expect(chooseTag({ numerical: {} }, ['10', '9', '1e3', 'latest', '2.5', '0x20'])).toEqual({ tag: '1e3', candidates: 4, reason: 'highest number: 1e3, of 4 numeric tags' });
  });
});

describe('tagPolicyProblems', () => {
  it.each([
    [{}, ['a tag policy needs exactly one of semver, alphabetical or numerical, not none']],
    [{ semver: { range: '1.x' }, numerical: {} }, ['a tag policy needs exactly one of semver, alphabetical or numerical, not semver and numerical']],
    [{ semver: { range: 'newest please' } }, ["'semver.range' (newest please) is not a semver range: write one such as '>=1.27.0 <1.28.0', '^1.27' or '1.x'"]],
    [{ semver: { range: ' ' } }, ["'semver.range' is empty: write a range such as '>=1.27.0 <1.28.0', '^1.27' or '1.x'"]],
    [{ numerical: { order: 'up' as never } }, ["'numerical.order' (up) must be asc or desc"]],
    [{ alphabetical: {}, filterTags: { pattern: '^(a' } }, ["'filterTags.pattern' (^(a) is not a regular expression: /^(a/: Unterminated group"]],
    [{ alphabetical: {}, filterTags: { pattern: '^(a)\\1$' } }, ["'filterTags.pattern' (^(a)\\1$) uses '\\1', which RE2 (Flux's regexps) doesn't support: backreferences and lookaround are not allowed"]],
    [{ alphabetical: {}, filterTags: { pattern: '^v(?=1)' } }, ["'filterTags.pattern' (^v(?=1)) uses '(?=', which RE2 (Flux's regexps) doesn't support: backreferences and lookaround are not allowed"]],
    [{ alphabetical: {}, filterTags: { pattern: '^(?P<ts>\\d+)$', extract: '$time' } }, ["'filterTags.extract' ($time) names 'time', which is no group of the pattern: name one with (?P<time>…)"]],
  ])('%j', (policy, problems) => {
    expect(tagPolicyProblems(policy)).toEqual(problems);
  });

  it('lets chooseTag refuse an unsound policy with every problem', () => {
    expect(() => chooseTag({ semver: { range: 'x y z' }, alphabetical: {} }, ['1'])).toThrowError(TagPolicyError);
  });

  it('builds filters that extract named and numbered groups', () => {
    expect(tagFilter('^(?P<a>\\w)-(\\d)$', '${a}.$2')('x-7')).toBe('x.7');
    expect(tagFilter('^x$')('y')).toBeUndefined();
  });
});
