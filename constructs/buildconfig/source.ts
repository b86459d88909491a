import { checkContextDir, checkGitRef, checkGitUri, checkSecretName } from './checks';

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
}

/** What a build builds: `BuildSource.git({ uri })` or `BuildSource.dockerfile(text)`. */
export class BuildSource {
  /** A git repository, cloned at `ref` (or the one a webhook or PipelineRun names). */
  static git(options: GitSourceOptions): BuildSource {
    const at = 'BuildSource.git():';
    return new BuildSource('Git', {
      uri: checkGitUri(at, options.uri),
      ref: options.ref === undefined ? undefined : checkGitRef(at, options.ref),
      contextDir: options.contextDir === undefined ? undefined : checkContextDir(at, options.contextDir),
      sourceSecret: options.sourceSecret === undefined ? undefined : checkSecretName(at, 'sourceSecret', options.sourceSecret),
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

  /** The inline Dockerfile text (Dockerfile sources). */
  get dockerfile(): string | undefined {
    return this.options.dockerfile;
  }
}
