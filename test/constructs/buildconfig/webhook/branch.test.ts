import { describe, expect, it } from 'vitest';
import { BuildSource } from '../../../../constructs/buildconfig/source';
import { triggerBranch } from '../../../../constructs/buildconfig/webhook/branch';

const git = (ref?: string) => BuildSource.git({ uri: 'https://github.com/example/foo.git', ref });

describe('triggerBranch', () => {
  it('turns a branch name into its full ref and keeps a full branch ref', () => {
    expect(triggerBranch('[bc]', 'GitHub webhook', git('main'))).toBe('refs/heads/main');
    expect(triggerBranch('[bc]', 'GitHub webhook', git('release/1.x'))).toBe('refs/heads/release/1.x');
    expect(triggerBranch('[bc]', 'GitHub webhook', git('refs/heads/main'))).toBe('refs/heads/main');
  });

  it('refuses a source without ref: never an implicit default branch', () => {
    expect(() => triggerBranch('[seed/foo]', 'GitHub webhook', git())).toThrowError(
      "[seed/foo] a GitHub webhook trigger follows one branch, but the git source has no 'ref': set it, e.g. BuildSource.git({ uri, ref: 'main' })",
    );
  });

  it('refuses tags and commits', () => {
    expect(() => triggerBranch('[bc]', 'gitPoll', git('refs/tags/v1'))).toThrowError(
      "[bc] a gitPoll trigger follows a branch, but the git source's 'ref' (refs/tags/v1) is not one: use a branch name such as 'main'",
    );
    expect(() => triggerBranch('[bc]', 'gitPoll', git('3c1e0f4b6a7d8e9f0a1b2c3d4e5f60718293a4b5'))).toThrowError(
      "[bc] a gitPoll trigger follows a branch, but the git source's 'ref' (3c1e0f4b6a7d8e9f0a1b2c3d4e5f60718293a4b5) is not one: use a branch name such as 'main'",
    );
  });

  it('refuses an inline Dockerfile source', () => {
    expect(() => triggerBranch('[bc]', 'Generic webhook', BuildSource.dockerfile('FROM busybox:1.36\n'))).toThrowError(
      '[bc] a Generic webhook trigger needs a git source: an inline Dockerfile has no pushes to follow',
    );
  });
});
