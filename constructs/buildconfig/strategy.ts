import { ImageStreamTag } from '../imagestream/tag';
import { checkImage, checkSecretName, checkVariableNames } from './checks';

const STRATEGY_BRAND = Symbol.for('cdk8s-imagestreams.BuildStrategy');

/** A base image: a stream tag (builds follow it, and it can trigger them) or a fixed image reference. */
export type BaseImage = ImageStreamTag | string;

export interface DockerfileStrategyOptions {
  /**
   * The Dockerfile, relative to the context directory.
   * @default 'Dockerfile'
   */
  readonly dockerfilePath?: string;
  /**
   * `--build-arg` values, by ARG name.
   * @default - none
   */
  readonly buildArgs?: Readonly<Record<string, string>>;
  /**
   * Reuse no cached layer, and push none to the layer cache (the repository `cache` under the
   * output's, e.g. registry/ns/foo/cache, in the stream's registry for stream outputs).
   * @default false - layers are pulled from the cache when their inputs match, and pushed to it
   */
  readonly noCache?: boolean;
  /**
   * A kubernetes.io/dockerconfigjson Secret, by name, for pulling base images; only the build step sees it.
   * @default - anonymous pulls
   */
  readonly pullSecret?: string;
  /**
   * Environment variables for the build's RUN instructions and the image (buildah `--env`).
   * @default - none
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Replaces the image of the Dockerfile's first FROM. A stream tag makes each build use the
   * tag's current digest, and (by default) rebuilds when it moves.
   * @default - the Dockerfile's own FROM
   */
  readonly from?: BaseImage;
  /**
   * Images for named stages of a multi-stage Dockerfile (`FROM golang:1.22 AS build`), by stage
   * name: each replaces the image of its stage's FROM, as `from` does the last one's. A stream tag is
   * used by digest and (by default) rebuilds when it moves. A name the Dockerfile does not have fails
   * the build. Beyond OpenShift, which replaces the last FROM only.
   * @default - every stage keeps its FROM (but the last, which `from` replaces)
   */
  readonly stages?: Readonly<Record<string, BaseImage>>;
}

export interface SourceToImageStrategyOptions {
  /**
   * The S2I builder image (with assemble and run in /usr/libexec/s2i).
   * @default - picked by the detected language from `builders`
   */
  readonly builderImage?: BaseImage;
  /**
   * Builder image per language (java, nodejs, python, go, ruby, php, dotnet); replaces the default map.
   * @default - Red Hat's UBI 9 builders (DEFAULT_S2I_BUILDERS)
   */
  readonly builders?: Readonly<Record<string, string>>;
  /**
   * Environment variables for assemble and the image.
   * @default - none
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * A kubernetes.io/dockerconfigjson Secret, by name, for pulling the builder image.
   * @default - anonymous pulls
   */
  readonly pullSecret?: string;
  /**
   * Reuse no cached layer, and push none to the cache.
   * @default false
   */
  readonly noCache?: boolean;
  /**
   * Where the builder keeps assemble and run, `image:///path/in/builder` (OpenShift's `scripts`).
   * @default - the builder's `io.openshift.s2i.scripts-url` label, else image:///usr/libexec/s2i
   */
  readonly scripts?: string;
  /**
   * Incremental builds, as OpenShift's: the previous image's `save-artifacts` output (a tar stream)
   * is restored into /tmp/artifacts before assemble runs. The first build, or one whose previous
   * image can't be pulled, is a full one. The image then depends on the previous image too.
   * @default false
   */
  readonly incremental?: boolean;
}

export interface BuildpacksStrategyOptions {
  /** A Cloud Native Buildpacks builder image, pinned, e.g. docker.io/paketobuildpacks/builder-jammy-base:0.4.x. */
  readonly builder: string;
  /**
   * Build-time environment for the buildpacks (BP_*, BPE_* …), as platform env files.
   * @default - none
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * The builder's CNB user id, which the lifecycle runs as.
   * @default 1000
   */
  readonly userId?: number;
  /**
   * The builder's CNB group id.
   * @default 1000
   */
  readonly groupId?: number;
}

export type StrategyType = 'Docker' | 'Source' | 'Buildpacks';

interface StrategySettings {
  readonly base?: BaseImage;
  readonly stages?: Readonly<Record<string, BaseImage>>;
  readonly env: Readonly<Record<string, string>>;
  readonly pullSecret?: string;
  readonly dockerfilePath?: string;
  readonly buildArgs?: Readonly<Record<string, string>>;
  readonly noCache?: boolean;
  readonly builders?: Readonly<Record<string, string>>;
  readonly scripts?: string;
  readonly incremental?: boolean;
  readonly userId?: number;
  readonly groupId?: number;
  /** Bases written as short names ('jdk8:latest'), by prop: an app's stream of that name is meant. */
  readonly shortNames?: Readonly<Record<string, string>>;
}

/** How a build turns sources into an image: a Dockerfile, S2I, or Cloud Native Buildpacks. */
export class BuildStrategy {
  /** Builds the Dockerfile with buildah (OpenShift's Docker strategy). */
  static dockerfile(options: DockerfileStrategyOptions = {}): BuildStrategy {
    const at = 'BuildStrategy.dockerfile():';
    return new BuildStrategy('Docker', {
      base: options.from === undefined ? undefined : checkBase(at, 'from', options.from),
      stages: options.stages === undefined ? undefined : checkStages(at, options.stages),
      env: checkVariableNames(at, 'env', options.env),
      pullSecret: options.pullSecret === undefined ? undefined : checkSecretName(at, 'pullSecret', options.pullSecret),
      dockerfilePath: options.dockerfilePath === undefined ? undefined : checkDockerfilePath(at, options.dockerfilePath),
      buildArgs: checkVariableNames(at, 'buildArgs', options.buildArgs),
      noCache: options.noCache ?? false,
      shortNames: shortNames({ from: options.from, ...prefixed('stages.', options.stages) }),
    });
  }

  /** Source-to-image: a Dockerfile over a builder image runs its assemble script over the sources. */
  static sourceToImage(options: SourceToImageStrategyOptions = {}): BuildStrategy {
    const at = 'BuildStrategy.sourceToImage():';
    const builders = options.builders === undefined ? undefined : checkBuilders(at, options.builders);
    return new BuildStrategy('Source', {
      base: options.builderImage === undefined ? undefined : checkBase(at, 'builderImage', options.builderImage),
      env: checkVariableNames(at, 'env', options.env),
      pullSecret: options.pullSecret === undefined ? undefined : checkSecretName(at, 'pullSecret', options.pullSecret),
      builders,
      noCache: options.noCache ?? false,
      scripts: options.scripts === undefined ? undefined : checkScripts(at, options.scripts),
      incremental: options.incremental ?? false,
      shortNames: shortNames({ builderImage: options.builderImage }),
    });
  }

  /** Cloud Native Buildpacks: the lifecycle's `creator` in the builder image, as its CNB user. */
  static buildpacks(options: BuildpacksStrategyOptions): BuildStrategy {
    const at = 'BuildStrategy.buildpacks():';
    return new BuildStrategy('Buildpacks', {
      base: checkPinned(at, 'builder', options.builder),
      env: checkVariableNames(at, 'env', options.env),
      userId: checkId(at, 'userId', options.userId ?? 1000),
      groupId: checkId(at, 'groupId', options.groupId ?? 1000),
    });
  }

  static isBuildStrategy(x: unknown): x is BuildStrategy {
    return typeof x === 'object' && x !== null && STRATEGY_BRAND in x;
  }

  private constructor(readonly type: StrategyType, readonly settings: StrategySettings) {
    Object.defineProperty(this, STRATEGY_BRAND, { value: true });
  }

  /** The image the build starts from, which BASE_IMAGE replaces: the Dockerfile's `from`, the S2I builder, the CNB builder. */
  get base(): BaseImage | undefined {
    return this.settings.base;
  }

  /** The bases written as short names (`jdk8:latest`), by prop (`from`, `builderImage`, `stages.<name>`). */
  get shortNames(): Readonly<Record<string, string>> {
    return this.settings.shortNames ?? {};
  }

  /** This strategy with the bases of `tags` (by prop, as in shortNames) replaced by stream tags. */
  withStreamTags(tags: Readonly<Record<string, ImageStreamTag>>): BuildStrategy {
    const stages: Record<string, BaseImage> = { ...this.stages };
    let base = this.settings.base;
    for (const [prop, tag] of Object.entries(tags)) {
      if (prop.startsWith('stages.')) stages[prop.slice('stages.'.length).toLowerCase()] = tag;
      else base = tag;
    }
    const remaining = Object.fromEntries(Object.entries(this.shortNames).filter(([prop]) => !(prop in tags)));
    return new BuildStrategy(this.type, { ...this.settings, base, ...(this.settings.stages ? { stages } : {}), shortNames: remaining });
  }

  /** The images of named Dockerfile stages, by stage name (lowercase), sorted. */
  get stages(): Readonly<Record<string, BaseImage>> {
    return this.settings.stages ?? {};
  }
}

/** Stage names as Docker reads them: case-insensitive, so kept lowercase; each a base image. */
function checkStages(at: string, stages: Readonly<Record<string, BaseImage>>): Record<string, BaseImage> {
  const checked: Record<string, BaseImage> = {};
  for (const name of Object.keys(stages).sort()) {
    if (!/^[A-Za-z][A-Za-z0-9_.-]*$/.test(name)) {
      throw new Error(`${at} 'stages' has an invalid stage name (${name}): use the name after AS in the Dockerfile's FROM line, e.g. 'build'`);
    }
    const lower = name.toLowerCase();
    if (lower in checked) throw new Error(`${at} 'stages' names stage '${lower}' twice (stage names are case-insensitive): keep one`);
    checked[lower] = checkBase(at, `stages.${name}`, stages[name]);
  }
  return checked;
}

function checkBase(at: string, prop: string, base: BaseImage): BaseImage {
  if (ImageStreamTag.isImageStreamTag(base)) return base;
  if (typeof base !== 'string') throw new Error(`${at} '${prop}' must be a stream tag (stream.tag('latest')) or an image reference`);
  return checkPinned(at, prop, base);
}

/** An image without a tag or digest would float with `latest`. */
function checkPinned(at: string, prop: string, image: string): string {
  const normalised = checkImage(at, prop, image);
  const lastSegment = image.split('/').pop() ?? '';
  if (!lastSegment.includes(':') && !image.includes('@')) {
    throw new Error(`${at} '${prop}' (${image}) has no tag or digest: pin a version, e.g. ${image}:1.2.3, or a digest`);
  }
  return normalised;
}

function checkBuilders(at: string, builders: Readonly<Record<string, string>>): Record<string, string> {
  const checked: Record<string, string> = {};
  for (const [language, image] of Object.entries(builders)) {
    if (!/^[a-z][a-z0-9]*$/.test(language)) throw new Error(`${at} 'builders' has an invalid language (${language}): use lowercase letters and digits, e.g. 'nodejs'`);
    checked[language] = checkPinned(at, `builders.${language}`, image);
  }
  return checked;
}

function checkDockerfilePath(at: string, path: string): string {
  if (path === '' || path.startsWith('/') || path.split('/').includes('..')) {
    throw new Error(`${at} 'dockerfilePath' (${path}) must be a relative path inside the context directory, e.g. 'Dockerfile' or 'docker/Dockerfile.prod'`);
  }
  return path;
}

function checkId(at: string, prop: string, id: number): number {
  if (!Number.isInteger(id) || id < 1 || id > 2147483647) throw new Error(`${at} '${prop}' (${id}) must be a non-root numeric id, from 1 to 2147483647`);
  return id;
}

/**
 * A short name is a repository of one path segment with a tag (`jdk8:latest`): a container engine
 * reads it as Docker Hub's docker.io/library/jdk8:latest, someone coming from OpenShift as the
 * app's jdk8 stream. Kept by prop, for the BuildConfig to tell which the app means.
 */
function shortNames(bases: Readonly<Record<string, BaseImage | undefined>>): Record<string, string> | undefined {
  const found = Object.entries(bases).filter((e): e is [string, string] => typeof e[1] === 'string' && SHORT_NAME.test(e[1]));
  return found.length > 0 ? Object.fromEntries(found) : undefined;
}

const SHORT_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*:\w[\w.-]*$/;

function prefixed<T>(prefix: string, values: Readonly<Record<string, T>> | undefined): Record<string, T> {
  return Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [`${prefix}${k}`, v]));
}

/** An S2I scripts location: image:///path (the one kind a build can read without fetching). */
function checkScripts(at: string, scripts: string): string {
  if (!/^image:\/\/\/[A-Za-z0-9._/-]*$/.test(scripts)) {
    throw new Error(`${at} 'scripts' (${scripts}) is not supported: use image:///path/in/builder (letters, digits, . _ / -), or leave it out to use the builder's io.openshift.s2i.scripts-url label`);
  }
  return scripts;
}
