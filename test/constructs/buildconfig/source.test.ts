import { describe, expect, it } from 'vitest';
import { BuildSource, MAX_INLINE_DOCKERFILE_BYTES } from '../../../constructs/buildconfig/source';

describe('BuildSource.git', () => {
  it.each([
    'https://github.com/example/foo.git',
    'ssh://git@github.com/example/foo.git',
    'git@github.com:example/foo.git',
    'file:///srv/git/foo.git',
  ])('accepts %s', (uri) => {
    expect(BuildSource.git({ uri }).uri).toBe(uri);
  });

  it.each(['http://github.com/example/foo.git', 'github.com/example/foo', 'ftp://x/y', 'https://exa mple.com/x'])('rejects %s', (uri) => {
    expect(() => BuildSource.git({ uri })).toThrowError(
      `BuildSource.git(): 'uri' (${uri}) is not a git URL: use https://host/org/repo.git, ssh://git@host/org/repo.git or git@host:org/repo.git`,
    );
  });

  it('refuses credentials in an https URI, without echoing them', () => {
    expect(() => BuildSource.git({ uri: 'https://bot:s3cret@github.com/example/foo.git' })).toThrowError(
      "BuildSource.git(): 'uri' has credentials in it: remove them and put them in a kubernetes.io/basic-auth Secret named by 'sourceSecret'",
    );
  });

  it('has no ref unless given one: the remote\'s default branch, never an implicit master', () => {
    expect(BuildSource.git({ uri: 'https://h/r.git' }).ref).toBeUndefined();
    expect(BuildSource.git({ uri: 'https://h/r.git', ref: 'release/1.x' }).ref).toBe('release/1.x');
  });

  it.each(['a..b', 'feature branch', '-rf', 'main.lock', 'x/.hidden', 'main/', 'a@{1}', 'x:y', ''])('rejects the ref %j', (ref) => {
    expect(() => BuildSource.git({ uri: 'https://h/r.git', ref })).toThrowError(
      `BuildSource.git(): 'ref' (${ref}) is not a valid git ref: use a branch, tag or commit such as 'main', 'v1.2.0' or refs/heads/main (git check-ref-format)`,
    );
  });

  it('normalises contextDir and refuses one that leaves the repository', () => {
    expect(BuildSource.git({ uri: 'https://h/r.git', contextDir: './services//api/' }).contextDir).toBe('services/api');
    expect(BuildSource.git({ uri: 'https://h/r.git' }).contextDir).toBe('.');
    for (const contextDir of ['../x', 'a/../../b', '/abs']) {
      expect(() => BuildSource.git({ uri: 'https://h/r.git', contextDir })).toThrowError(
        `BuildSource.git(): 'contextDir' (${contextDir}) must stay inside the repository: use a relative path without '..', e.g. 'services/api'`,
      );
    }
  });

  it('checks the source secret name', () => {
    expect(BuildSource.git({ uri: 'https://h/r.git', sourceSecret: 'git-creds' }).sourceSecret).toBe('git-creds');
    expect(() => BuildSource.git({ uri: 'https://h/r.git', sourceSecret: 'Git_Creds' })).toThrowError(
      "BuildSource.git(): 'sourceSecret' (Git_Creds) must be the name of a Secret: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit",
    );
  });
});

describe('BuildSource.dockerfile', () => {
  it('keeps the text and has the repository root as context', () => {
    const source = BuildSource.dockerfile('FROM busybox:1.36');
    expect(source).toMatchObject({ type: 'Dockerfile', dockerfile: 'FROM busybox:1.36', contextDir: '.', uri: undefined });
    expect(BuildSource.isBuildSource(source)).toBe(true);
    expect(BuildSource.isBuildSource({ type: 'Dockerfile' })).toBe(false);
  });

  it('refuses an empty or oversized Dockerfile', () => {
    expect(() => BuildSource.dockerfile(' \n')).toThrowError('BuildSource.dockerfile(): the Dockerfile is empty: write at least a FROM line');
    const big = `FROM x:1\n${'#'.repeat(MAX_INLINE_DOCKERFILE_BYTES)}`;
    expect(() => BuildSource.dockerfile(big)).toThrowError(
      `BuildSource.dockerfile(): the Dockerfile has ${big.length} bytes, more than 61440: keep it in a git repository and use BuildSource.git()`,
    );
  });
});
