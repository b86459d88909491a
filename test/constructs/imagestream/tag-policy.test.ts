import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ImageStream, System, TagPolicy } from '../../../constructs';
import { synthApp } from '../../support/synth-app';

describe('TagPolicy and importTag({ policy })', () => {
  it('writes the repository and the policy into the tag spec, scheduled as any import', () => {
    const app = synthApp(({ chart }) => {
      const s = new ImageStream(chart('team'), 'web');
      s.importTag('stable', { from: 'nginx', policy: TagPolicy.semver('>=1.27.0 <1.28.0') });
      s.importTag('next', { from: 'ghcr.io/acme/web', policy: TagPolicy.semver('^2', { prereleases: true }) });
      s.importTag('main', { from: 'ghcr.io/acme/web', policy: TagPolicy.numerical().filter('^main-[a-f0-9]+-(?P<ts>[0-9]+)$', { extract: '$ts' }) });
      s.importTag('last', { from: 'ghcr.io/acme/web', policy: TagPolicy.alphabetical({ order: 'desc' }) });
    });
    const tags = app.one('ImageStream', 'web').spec.tags;
    expect(tags[0]).toEqual({
      name: 'stable', from: { kind: 'DockerImage', name: 'docker.io/library/nginx' }, tagPolicy: { semver: { range: '>=1.27.0 <1.28.0' } },
      importPolicy: { scheduled: true, intervalSeconds: 900, importMode: 'Legacy' }, referencePolicy: { type: 'Source' },
    });
    expect(tags.slice(1).map((t: { tagPolicy: unknown }) => t.tagPolicy)).toEqual([
      { semver: { range: '^2', prereleases: true } },
      { numerical: {}, filterTags: { pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)$', extract: '$ts' } },
      { alphabetical: { order: 'desc' } },
    ]);
    expect(app.find('CronJob')).toHaveLength(1);
  });

  it.each([
    [() => TagPolicy.semver('latest please'), "invalid tag policy: 'semver.range' (latest please) is not a semver range: write one such as '>=1.27.0 <1.28.0', '^1.27' or '1.x'"],
    [() => TagPolicy.alphabetical().filter('^(v'), "invalid tag policy: 'filterTags.pattern' (^(v) is not a regular expression: /^(v/: Unterminated group"],
    [() => TagPolicy.numerical().filter('^(\\d+)-\\1$'), "invalid tag policy: 'filterTags.pattern' (^(\\d+)-\\1$) uses '\\1', which RE2 (Flux's regexps) doesn't support: backreferences and lookaround are not allowed"],
    [() => TagPolicy.numerical().filter('^main-(?P<ts>\\d+)$', { extract: '$time' }), "invalid tag policy: 'filterTags.extract' ($time) names 'time', which is no group of the pattern: name one with (?P<time>…)"],
    [() => TagPolicy.numerical({ order: 'newest' as never }), "invalid tag policy: 'numerical.order' (newest) must be asc or desc"],
  ])('refuses a policy where it is made: %s', (make, message) => {
    expect(make).toThrowError(message);
  });

  it('refuses a from that names a tag or a digest: the policy chooses the tag', () => {
    const stream = () => {
      const app = Testing.app();
      new System(app, 'imagestreams');
      return new ImageStream(new Chart(app, 'c', { namespace: 'team' }), 'web');
    };
    expect(() => stream().importTag('stable', { from: 'nginx:1.27', policy: TagPolicy.semver('1.x') })).toThrowError(
      "[c/web] 'from' of tag 'stable' (nginx:1.27) names a tag, but a tag with a policy follows the tag its policy chooses: name the repository alone, e.g. 'docker.io/library/nginx'",
    );
    expect(() => stream().importTag('stable', { from: `nginx@sha256:${'a'.repeat(64)}`, policy: TagPolicy.semver('1.x') })).toThrowError(/names a digest, but a tag with a policy/);
    expect(() => stream().importTag('stable', { from: 'localhost:5000/team/web', policy: TagPolicy.semver('1.x') })).not.toThrow();
  });

  it.each([
    [() => TagPolicy.semver(1 as any), "TagPolicy.semver(): 'range' (1) must be a string, e.g. '^1.27'"],
    [() => TagPolicy.semver('^1', { prerelease: true } as any), "TagPolicy.semver(): the options has an unknown key 'prerelease': did you mean 'prereleases'?"],
    [() => TagPolicy.semver('^1', { prereleases: 'yes' } as any), `TagPolicy.semver(): 'prereleases' ("yes") must be true or false`],
    [() => TagPolicy.numerical({ ordr: 'desc' } as any), "TagPolicy.numerical(): the options has an unknown key 'ordr': did you mean 'order'?"],
    [() => TagPolicy.alphabetical('desc' as any), `TagPolicy.alphabetical(): the options ("desc") must be an object: { order: 'desc' }`],
    [() => TagPolicy.numerical().filter(/^v/ as any), "TagPolicy.filter(): 'pattern' (a RegExp) must be a string, e.g. '^v[0-9.]+$'"],
    [() => TagPolicy.numerical().filter('^v', { extract: 1 } as any), "TagPolicy.filter(): 'extract' (1) must be a string, e.g. '$ts'"],
  ])('refuses a wrong type or key, naming the factory, the prop, the value and the fix (%#)', (make, message) => {
    expect(make).toThrowError(message);
  });

  it('is recognised by brand, so a copy from a second copy of the package still counts', () => {
    expect(TagPolicy.isTagPolicy(TagPolicy.semver('^1'))).toBe(true);
    expect(TagPolicy.isTagPolicy({ spec: { semver: { range: '^1' } } })).toBe(false);
  });
});
