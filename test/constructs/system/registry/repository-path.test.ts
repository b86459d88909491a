import { describe, expect, it } from 'vitest';
import { repositoryAt, repositoryPath } from '../../../../lib/api/repository-path';

describe('repositoryPath', () => {
  it('is namespace/stream, under the prefix when there is one', () => {
    expect(repositoryPath('team-a', 'jdk8')).toBe('team-a/jdk8');
    expect(repositoryPath('team-a', 'foo.bar_baz', 'org/builds')).toBe('org/builds/team-a/foo.bar_baz');
  });

  it('rejects a namespace that is not a Namespace name', () => {
    expect(() => repositoryPath('Team', 'jdk8')).toThrowError(
      "repositoryFor: 'namespace' (Team) must be a Namespace name: lowercase letters, digits and '-', at most 63 characters",
    );
    expect(() => repositoryPath('a'.repeat(64), 'jdk8')).toThrowError(`repositoryFor: 'namespace' (${'a'.repeat(64)}) must be a Namespace name`);
  });

  it('rejects a stream name that is no repository path component', () => {
    expect(() => repositoryPath('team', 'a/b')).toThrowError(
      "repositoryFor: 'stream' (a/b) must be an ImageStream name that is also a repository path component: lowercase letters and digits joined by '.', '_', '__' or '-'",
    );
  });
});

describe('repositoryAt', () => {
  it('joins host and path, within the 255 characters distribution allows', () => {
    expect(repositoryAt('localhost:32000', 'ns/s')).toBe('localhost:32000/ns/s');
    const path = `ns/${'s'.repeat(255 - 'h/ns/'.length)}`;
    expect(repositoryAt('h', path)).toHaveLength(255);
    expect(() => repositoryAt('hh', path)).toThrowError(
      `repositoryFor: 'hh/${path}' is longer than the 255 characters a repository name may have: shorten the stream, namespace or 'pathPrefix'`,
    );
  });
});
