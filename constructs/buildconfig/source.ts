import { checkContextDir, checkGitRef, checkGitUri, checkSecretName, isSshUri } from './checks';

const SOURCE_BRAND = Symbol.for('cdk8s-imagestreams.BuildSource');
/** OpenShift's limit for an inline Dockerfile; far below what an env var or a param can hold. */
export const MAX_INLINE_DOCKERFILE_BYTES = 60 * 1024;

export interface GitSourceOptions {
  /** The repository: https://, ssh://, scp-like `git@host:org/repo.git`, or file:// (local mirrors). */
  readonly uri: string;
  /**
   * Branch, tag or commit to build.
   * @default - the remote's default branch (never an implicit 'master')
   */
  readonly ref?: string;
  /**
   * The directory of the repository to build, relative to its root.
   * @default - the repository's root
   */
  readonly contextDir?: string;
  /**
   * A kubernetes.io/basic-auth (https) or kubernetes.io/ssh-auth (ssh) Secret, by name, in the
   * BuildConfig's namespace. Only the clone step sees it.
   * @default - anonymous clone
   */
  readonly sourceSecret?: string;
  /**
   * For ssh sources: connect without checking the server's host key, when the source secret has no
   * `known_hosts` key. Anyone between the cluster and the git host can then serve other sources.
   * @default false - the source secret must hold `known_hosts` (as `ssh-keyscan host` prints it),
   * and the clone fails without it
   */
  readonly insecureIgnoreHostKey?: boolean;
}

/** What a build builds: `BuildSource.git({ uri })` or `BuildSource.dockerfile(text)`. */
export class BuildSource {
  /** A git repository, cloned at `ref` (or the one a webhook or PipelineRun names). */
  static git(options: GitSourceOptions): BuildSource {
    const at = 'BuildSource.git():';
    const uri = checkGitUri(at, options.uri);
    const sourceSecret = options.sourceSecret === undefined ? undefined : checkSecretName(at, 'sourceSecret', options.sourceSecret);
    if (options.insecureIgnoreHostKey !== undefined && typeof options.insecureIgnoreHostKey !== 'boolean') {
      throw new Error(`${at} 'insecureIgnoreHostKey' (${String(options.insecureIgnoreHostKey)}) must be true or false`);
    }
    if (options.insecureIgnoreHostKey && !isSshUri(uri)) {
      throw new Error(`${at} 'insecureIgnoreHostKey' is for ssh sources only, and '${uri}' is not one: remove it`);
    }
    if (isSshUri(uri) && !sourceSecret && !options.insecureIgnoreHostKey) {
      throw new Error(`${at} '${uri}' is an ssh source without 'sourceSecret': name a kubernetes.io/ssh-auth Secret with the keys ssh-privatekey and known_hosts (ssh-keyscan output), or set 'insecureIgnoreHostKey: true' to skip host key checks`);
    }
    return new BuildSource('Git', {
      uri,
      ref: options.ref === undefined ? undefined : checkGitRef(at, options.ref),
      contextDir: options.contextDir === undefined ? undefined : checkContextDir(at, options.contextDir),
      sourceSecret,
      insecureIgnoreHostKey: options.insecureIgnoreHostKey ?? false,
    });
  }

  /**
   * An inline Dockerfile with no other sources (OpenShift's `source.dockerfile`). It travels as a
   * Pipeline param default that a small step writes into the source workspace.
   */
  static dockerfile(text: string): BuildSource {
    const bytes = Buffer.byteLength(text);
    if (text.trim() === '') throw new Error("BuildSource.dockerfile(): the Dockerfile is empty: write at least a FROM line");
    if (bytes > MAX_INLINE_DOCKERFILE_BYTES) {
      throw new Error(`BuildSource.dockerfile(): the Dockerfile has ${bytes} bytes, more than ${MAX_INLINE_DOCKERFILE_BYTES}: keep it in a git repository and use BuildSource.git()`);
    }
    return new BuildSource('Dockerfile', { dockerfile: text });
  }

  static isBuildSource(x: unknown): x is BuildSource {
    return typeof x === 'object' && x !== null && SOURCE_BRAND in x;
  }

  private constructor(
    readonly type: 'Git' | 'Dockerfile',
    private readonly options: Partial<GitSourceOptions> & { readonly dockerfile?: string },
  ) {
    Object.defineProperty(this, SOURCE_BRAND, { value: true });
  }

  /** The repository URL (Git sources). */
  get uri(): string | undefined {
    return this.type === 'Git' ? this.options.uri : undefined;
  }

  get ref(): string | undefined {
    return this.options.ref;
  }

  /** The build context, relative to the source workspace. */
  get contextDir(): string {
    return this.options.contextDir ?? '.';
  }

  get sourceSecret(): string | undefined {
    return this.options.sourceSecret;
  }

  /** ssh sources: skip host key checks (a source secret without known_hosts is then accepted). */
  get insecureIgnoreHostKey(): boolean {
    return this.options.insecureIgnoreHostKey ?? false;
  }

  /** The inline Dockerfile text (Dockerfile sources). */
  get dockerfile(): string | undefined {
    return this.options.dockerfile;
  }
}
