import { describe, expect, it } from 'vitest';
import { BuildSource, MAX_INLINE_DOCKERFILE_BYTES } from '../../../constructs/buildconfig/source';

describe('BuildSource.git', () => {
  it.each([
    'https://github.com/example/foo.git',
    'ssh://git@github.com/example/foo.git',
    'git@github.com:example/foo.git',
    'file:///srv/git/foo.git',
  ])('accepts %s', (uri) => {
    expect(BuildSource.git({ uri, sourceSecret: 'creds' }).uri).toBe(uri);
  });

  it.each(['http://github.com/example/foo.git', 'github.com/example/foo', 'ftp://x/y', 'https://exa mple.com/x'])('rejects %s', (uri) => {
    expect(() => BuildSource.git({ uri })).toThrowError(
      `BuildSource.git(): 'uri' (${uri}) is not a git URL: use https://host/org/repo.git, ssh://git@host/org/repo.git or git@host:org/repo.git`,
    );
  });

  it.each([
    ['https://bot:s3cret@github.com/example/foo.git', "'uri' has credentials in it: remove them and put them in a kubernetes.io/basic-auth Secret (keys username, password) named by 'sourceSecret'"],
    ['https://ghp_t0ken@github.com/example/foo.git', "'uri' has credentials in it: remove them and put them in a kubernetes.io/basic-auth Secret (keys username, password) named by 'sourceSecret'"],
    ['http://bot:s3cret@git.example.com/foo.git', "'uri' has credentials in it: remove them and put them in a kubernetes.io/basic-auth Secret (keys username, password) named by 'sourceSecret'"],
    ['ssh://git:s3cret@github.com/example/foo.git', "'uri' has a password in it: remove them and put them in a kubernetes.io/ssh-auth Secret (keys ssh-privatekey, known_hosts) named by 'sourceSecret'"],
    ['git:s3cret@github.com:example/foo.git', "'uri' has a password in it: remove them and put them in a kubernetes.io/ssh-auth Secret (keys ssh-privatekey, known_hosts) named by 'sourceSecret'"],
    ['file://me:s3cret@/srv/git/foo.git', "'uri' has a password in it: remove them and put them in a kubernetes.io/basic-auth Secret (keys username, password) named by 'sourceSecret'"],
  ])('refuses credentials in %s, without echoing them', (uri, message) => {
    expect(() => BuildSource.git({ uri, sourceSecret: 'creds' })).toThrowError(`BuildSource.git(): ${message}`);
  });

  it('accepts the user name alone of an ssh URI (git@), which is no secret', () => {
    expect(BuildSource.git({ uri: 'ssh://git@github.com:22/example/foo.git', sourceSecret: 'ssh' }).uri).toBe('ssh://git@github.com:22/example/foo.git');
    expect(BuildSource.git({ uri: 'git@github.com:example/foo.git', sourceSecret: 'ssh' }).uri).toBe('git@github.com:example/foo.git');
  });

  it('wants the host keys of an ssh source: a source secret (with known_hosts), or insecureIgnoreHostKey said out loud', () => {
    for (const uri of ['ssh://git@github.com/example/foo.git', 'git@github.com:example/foo.git']) {
      expect(() => BuildSource.git({ uri })).toThrowError(
        `BuildSource.git(): '${uri}' is an ssh source without 'sourceSecret': name a kubernetes.io/ssh-auth Secret with the keys ssh-privatekey and known_hosts (ssh-keyscan output), or set 'insecureIgnoreHostKey: true' to skip host key checks`,
      );
      expect(BuildSource.git({ uri, sourceSecret: 'ssh' }).insecureIgnoreHostKey).toBe(false);
      expect(BuildSource.git({ uri, insecureIgnoreHostKey: true }).insecureIgnoreHostKey).toBe(true);
    }
    expect(() => BuildSource.git({ uri: 'https://h/r.git', insecureIgnoreHostKey: true })).toThrowError(
      "BuildSource.git(): 'insecureIgnoreHostKey' is for ssh sources only, and 'https://h/r.git' is not one: remove it",
    );
  });

  it('has no ref unless given one: the remote\'s default branch, never an implicit master', () => {
    expect(BuildSource.git({ uri: 'https://h/r.git' }).ref).toBeUndefined();
    expect(BuildSource.git({ uri: 'https://h/r.git', ref: 'release/1.x' }).ref).toBe('release/1.x');
  });

  it.each(['a..b', 'feature branch', '-rf', '--upload-pack=touch x', 'main.lock', 'x/.hidden', 'main/', 'a@{1}', 'x:y', ''])('rejects the ref %j', (ref) => {
    expect(() => BuildSource.git({ uri: 'https://h/r.git', ref })).toThrowError(
      `BuildSource.git(): 'ref' (${ref}) is not a valid git ref: use a branch, tag or commit such as 'main', 'v1.2.0' or refs/heads/main (git check-ref-format)`,
    );
  });

  it('refuses a ref with a $, which Kubernetes and Tekton would rewrite', () => {
    expect(() => BuildSource.git({ uri: 'https://h/r.git', ref: 'release-$(VERSION)' })).toThrowError(
      "BuildSource.git(): 'ref' (release-$(VERSION)) has a '$', which Kubernetes and Tekton would rewrite on its way to git: rename the branch or tag, or use its commit",
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

  it('takes secrets and configMaps with their directories (OpenShift source.secrets/configMaps), each on a workspace of its own', () => {
    const source = BuildSource.git({ uri: 'https://h/r.git', secrets: [{ secret: 'npm', destinationDir: 'run/npm/' }], configMaps: [{ configMap: 'maven', destinationDir: 'etc/maven' }] });
    expect(source.inputs).toEqual([
      { kind: 'secret', name: 'npm', destinationDir: 'run/npm', workspace: 'build-input-0' },
      { kind: 'configMap', name: 'maven', destinationDir: 'etc/maven', workspace: 'build-input-1' },
    ]);
  });

  it('refuses an input by a bad name, in a directory that is absolute, leaves the tree or belongs to the runtime, twice, or where another is', () => {
    const git = (more: object) => () => BuildSource.git({ uri: 'https://h/r.git', ...more });
    expect(git({ secrets: [{ secret: 'Npm', destinationDir: 'run/npm' }] })).toThrowError(
      "BuildSource.git(): 'secrets[0].secret' (Npm) must be the name of a Secret: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit",
    );
    expect(git({ configMaps: [{ configMap: 'm', destinationDir: '/etc/m' }] })).toThrowError(
      "BuildSource.git(): 'configMaps[0].destinationDir' (/etc/m) must be a relative directory of letters, digits, '.', '_' and '-' (no '..'), where RUN instructions find the files from the root, e.g. 'run/secrets/npm'",
    );
    expect(git({ secrets: [{ secret: 's', destinationDir: 'run/../etc' }] })).toThrowError(
      "BuildSource.git(): 'secrets[0].destinationDir' (run/../etc) must be a relative directory of letters, digits, '.', '_' and '-' (no '..'), where RUN instructions find the files from the root, e.g. 'run/secrets/npm'",
    );
    expect(git({ secrets: [{ secret: 's', destinationDir: 'a..b' }] })).toThrowError("'secrets[0].destinationDir' (a..b) must be a relative directory");
    // A dot directory, as OpenShift's Maven settings go to .m2, is a name like any other
    expect(BuildSource.git({ uri: 'https://h/r.git', secrets: [{ secret: 'm', destinationDir: '.m2' }] }).inputs[0].destinationDir).toBe('.m2');
    expect(git({ secrets: [{ secret: 's', destinationDir: 'proc/x' }] })).toThrowError(
      "BuildSource.git(): 'secrets[0].destinationDir' (proc/x) is under /proc, which the build's runtime owns: choose another directory, e.g. 'run/inputs/x'",
    );
    expect(git({ secrets: [{ secret: 's', destinationDir: 'a' }, { secret: 's', destinationDir: 'b' }] })).toThrowError(
      "BuildSource.git(): 'secrets[1]' names the Secret s a second time: list it once",
    );
    expect(git({ secrets: [{ secret: 's', destinationDir: 'run/a' }], configMaps: [{ configMap: 'c', destinationDir: 'run/a/b' }] })).toThrowError(
      "BuildSource.git(): 'configMaps[0].destinationDir' (run/a/b) overlaps the directory of s (run/a): give each its own directory",
    );
  });
});

describe('BuildSource.binary', () => {
  it('builds uploaded sources, with an asFile name and a context dir, and checks the name', () => {
    const source = BuildSource.binary({ asFile: 'app.jar', contextDir: 'sub' });
    expect([source.type, source.asFile, source.contextDir, source.uri]).toEqual(['Binary', 'app.jar', 'sub', undefined]);
    expect(() => BuildSource.binary({ asFile: 'lib/app.jar' })).toThrowError("BuildSource.binary(): 'asFile' (lib/app.jar) must be a file name of letters, digits, '.', '_' and '-', e.g. 'app.jar'");
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
