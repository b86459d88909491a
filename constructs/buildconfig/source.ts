import { ImageStreamTag } from '../imagestream/tag';
import { checkContextDir, checkGitRef, checkGitUri, checkImage, checkSecretName, isSshUri } from './checks';
import { BUILD_INPUT_DIR_PATTERN } from '../../lib/api/buildconfig';

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
  /**
   * Secrets, by name in the BuildConfig's namespace, whose files the build's RUN instructions find
   * read-only in `/<destinationDir>` and that are never in the image (OpenShift's `source.secrets`,
   * without its leak: OpenShift copies them into the context). Each key of these Secrets is also a
   * build secret for `RUN --mount=type=secret,id=<key>` (buildah `--secret`). Docker and S2I (whose
   * assemble finds them there too) strategies.
   * @default - none
   */
  readonly secrets?: readonly SecretBuildInput[];
  /**
   * ConfigMaps, by name, whose files RUN instructions find read-only in `/<destinationDir>`, never in
   * the image (OpenShift's `source.configMaps`). Docker and S2I strategies.
   * @default - none
   */
  readonly configMaps?: readonly ConfigMapBuildInput[];
  /**
   * Files copied out of images into the sources before the build (OpenShift's `source.images`), e.g.
   * `[{ from: tools.tag('1'), paths: [{ sourcePath: '/opt/tools/.', destinationDir: 'vendor/tools' }] }]`.
   * Docker and S2I strategies. A stream tag is pulled by digest as it is when each build starts; it
   * starts no build by itself (add `BuildTrigger.imageChange({ from })` for that).
   * @default - none
   */
  readonly images?: readonly ImageSourceOptions[];
}

/** An image whose files go into the sources (OpenShift's ImageSource). */
export interface ImageSourceOptions {
  /** The image: a stream tag (`stream.tag('1')`) or an image reference (`registry.example.com/tools:1`). */
  readonly from: string | ImageStreamTag;
  /** What to copy, in order (a later path wins over an earlier one's file of the same name). */
  readonly paths: readonly ImageSourcePath[];
  /**
   * A kubernetes.io/dockerconfigjson Secret, by name, to pull this image with; one for all the
   * image sources that name one (OpenShift's `pullSecret`). Only the step that copies sees it.
   * @default - the build's pull Secret (the strategy's, or the stream registry's)
   */
  readonly pullSecret?: string;
}

/** One path copied out of an image (OpenShift's ImageSourcePath). */
export interface ImageSourcePath {
  /**
   * An absolute path in the image: a file, or a directory, copied with its name; ending in `/.`, a
   * directory's content only. Symbolic links on the way are not followed (name the path they point to).
   */
  readonly sourcePath: string;
  /** Where it goes, relative to the sources' root (not to `contextDir`, as in OpenShift); `.` for the root. */
  readonly destinationDir: string;
}

/** The image sources of a source, checked. */
export interface ImageSource {
  readonly from: string | ImageStreamTag;
  readonly paths: readonly ImageSourcePath[];
  readonly pullSecret?: string;
}

/** A Secret's files during the build (OpenShift's SecretBuildSource). */
export interface SecretBuildInput {
  /** The Secret's name, in the BuildConfig's namespace. */
  readonly secret: string;
  /** Where RUN instructions find its files: a relative path, taken from the root (`run/npm` → /run/npm). */
  readonly destinationDir: string;
}

/** A ConfigMap's files during the build (OpenShift's ConfigMapBuildSource). */
export interface ConfigMapBuildInput {
  /** The ConfigMap's name, in the BuildConfig's namespace. */
  readonly configMap: string;
  /** Where RUN instructions find its files: a relative path, taken from the root (`etc/maven` → /etc/maven). */
  readonly destinationDir: string;
}

/** A Secret or ConfigMap mounted into the build's RUN instructions, in the order the source lists them (secrets first). */
export interface BuildInput {
  readonly kind: 'secret' | 'configMap';
  readonly name: string;
  readonly destinationDir: string;
  /** The PipelineRun workspace that carries it. */
  readonly workspace: string;
}

export interface BinarySourceOptions {
  /**
   * The name `start-build --from-file` gives the uploaded file in the build context (OpenShift's
   * `binary.asFile`).
   * @default - the file's own name
   */
  readonly asFile?: string;
  /**
   * The directory of the uploaded sources to build.
   * @default - their root
   */
  readonly contextDir?: string;
  /** As for git sources: Secrets RUN instructions see in /<destinationDir>. @default - none */
  readonly secrets?: readonly SecretBuildInput[];
  /** As for git sources: ConfigMaps RUN instructions see in /<destinationDir>. @default - none */
  readonly configMaps?: readonly ConfigMapBuildInput[];
  /** As for git sources: files copied out of images into the uploaded sources. @default - none */
  readonly images?: readonly ImageSourceOptions[];
}

export interface DockerfileSourceOptions {
  /** As for git sources: files copied out of images next to the Dockerfile (which no image's file replaces). @default - none */
  readonly images?: readonly ImageSourceOptions[];
}

export interface ImageOnlySourceOptions {
  /** The images and what to copy out of each: the only sources of the build. */
  readonly images: readonly ImageSourceOptions[];
  /**
   * The directory of the copied files to build.
   * @default - their root
   */
  readonly contextDir?: string;
}

/** What a build builds: `BuildSource.git({ uri })`, `BuildSource.dockerfile(text)`, `BuildSource.binary()` or `BuildSource.image({ images })`. */
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
      inputs: checkInputs(at, options.secrets, options.configMaps),
      images: checkImageSources(at, options.images),
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
  static dockerfile(text: string, options: DockerfileSourceOptions = {}): BuildSource {
    const bytes = Buffer.byteLength(text);
    if (text.trim() === '') throw new Error("BuildSource.dockerfile(): the Dockerfile is empty: write at least a FROM line");
    if (bytes > MAX_INLINE_DOCKERFILE_BYTES) {
      throw new Error(`BuildSource.dockerfile(): the Dockerfile has ${bytes} bytes, more than ${MAX_INLINE_DOCKERFILE_BYTES}: keep it in a git repository and use BuildSource.git()`);
    }
    return new BuildSource('Dockerfile', { dockerfile: text, images: checkImageSources('BuildSource.dockerfile():', options.images) });
  }

  /**
   * Files copied out of images, and nothing else (OpenShift's source type Image): the Dockerfile
   * (or the S2I sources) must come from one of them.
   */
  static image(options: ImageOnlySourceOptions): BuildSource {
    const at = 'BuildSource.image():';
    if (!Array.isArray(options?.images) || options.images.length === 0) {
      throw new Error(`${at} 'images' must list at least one image, e.g. [{ from: stream.tag('1'), paths: [{ sourcePath: '/src/.', destinationDir: '.' }] }]`);
    }
    return new BuildSource('Image', {
      images: checkImageSources(at, options.images),
      contextDir: options.contextDir === undefined ? undefined : checkContextDir(at, options.contextDir),
    });
  }

  /**
   * Sources uploaded by each build's starter (OpenShift's Binary source): `imagestreams start-build
   * NAME --from-dir DIR | --from-file FILE | --from-archive TAR` pushes them as an image of one layer
   * to the output's registry (repository `<output>/build-context`), and the build unpacks that
   * digest. Such a BuildConfig has no triggers: only start-build starts it.
   */
  static binary(options: BinarySourceOptions = {}): BuildSource {
    const at = 'BuildSource.binary():';
    if (options.asFile !== undefined && (options.asFile === '' || !/^[A-Za-z0-9._-]+$/.test(options.asFile) || options.asFile === '.' || options.asFile === '..')) {
      throw new Error(`${at} 'asFile' (${options.asFile}) must be a file name of letters, digits, '.', '_' and '-', e.g. 'app.jar'`);
    }
    return new BuildSource('Binary', {
      inputs: checkInputs(at, options.secrets, options.configMaps),
      images: checkImageSources(at, options.images),
      contextDir: options.contextDir === undefined ? undefined : checkContextDir(at, options.contextDir),
      asFile: options.asFile,
    });
  }

  static isBuildSource(x: unknown): x is BuildSource {
    return typeof x === 'object' && x !== null && SOURCE_BRAND in x;
  }

  private constructor(
    readonly type: 'Git' | 'Dockerfile' | 'Binary' | 'Image',
    private readonly options: Partial<Omit<GitSourceOptions, 'secrets' | 'configMaps' | 'images'>> & {
      readonly dockerfile?: string; readonly inputs?: readonly BuildInput[]; readonly asFile?: string; readonly images?: readonly ImageSource[];
    },
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

  /** The Secrets and ConfigMaps the build's RUN instructions see. */
  get inputs(): readonly BuildInput[] {
    return this.options.inputs ?? [];
  }

  /** Files copied out of images into the sources (OpenShift's `source.images`). */
  get images(): readonly ImageSource[] {
    return this.options.images ?? [];
  }

  /** The name of an uploaded single file (Binary sources). */
  get asFile(): string | undefined {
    return this.options.asFile;
  }

  /** The inline Dockerfile text (Dockerfile sources). */
  get dockerfile(): string | undefined {
    return this.options.dockerfile;
  }
}

/** Each input's name and directory checked; a Secret or ConfigMap listed twice, or two in one directory, refused. */
function checkInputs(at: string, secrets: readonly SecretBuildInput[] = [], configMaps: readonly ConfigMapBuildInput[] = []): BuildInput[] {
  const listed = [
    ...secrets.map((s, i) => ({ kind: 'secret' as const, prop: `secrets[${i}]`, name: s?.secret, destinationDir: s?.destinationDir })),
    ...configMaps.map((c, i) => ({ kind: 'configMap' as const, prop: `configMaps[${i}]`, name: c?.configMap, destinationDir: c?.destinationDir })),
  ];
  const inputs: BuildInput[] = [];
  for (const input of listed) {
    const kind = input.kind === 'secret' ? 'Secret' : 'ConfigMap';
    if (typeof input.name !== 'string') throw new Error(`${at} '${input.prop}.${input.kind}' must be the name of a ${kind}`);
    checkSecretName(at, `${input.prop}.${input.kind}`, input.name, kind);
    const dir = checkDestinationDir(at, `${input.prop}.destinationDir`, input.destinationDir);
    const same = inputs.find((i) => i.kind === input.kind && i.name === input.name);
    if (same) throw new Error(`${at} '${input.prop}' names the ${kind} ${input.name} a second time: list it once`);
    const clash = inputs.find((i) => i.destinationDir === dir || dir.startsWith(`${i.destinationDir}/`) || i.destinationDir.startsWith(`${dir}/`));
    if (clash) throw new Error(`${at} '${input.prop}.destinationDir' (${dir}) overlaps the directory of ${clash.name} (${clash.destinationDir}): give each its own directory`);
    inputs.push({ kind: input.kind, name: input.name, destinationDir: dir, workspace: `build-input-${inputs.length}` });
  }
  return inputs;
}

const DESTINATION_DIR = new RegExp(BUILD_INPUT_DIR_PATTERN);

function checkDestinationDir(at: string, prop: string, dir: unknown): string {
  const text = typeof dir === 'string' ? dir.replace(/\/+$/, '') : '';
  if (!DESTINATION_DIR.test(text)) {
    throw new Error(`${at} '${prop}' (${String(dir)}) must be a relative directory of letters, digits, '.', '_' and '-' (no '..'), where RUN instructions find the files from the root, e.g. 'run/secrets/npm'`);
  }
  if (['proc', 'sys', 'dev'].includes(text.split('/')[0])) {
    throw new Error(`${at} '${prop}' (${text}) is under /${text.split('/')[0]}, which the build's runtime owns: choose another directory, e.g. 'run/inputs/${text.split('/').pop()}'`);
  }
  return text;
}

/**
 * Each image source's image and paths checked: an image reference or a stream tag, at least one
 * path, each `sourcePath` absolute and each `destinationDir` relative, neither with '..' nor a line break.
 */
function checkImageSources(at: string, images: readonly ImageSourceOptions[] | undefined): ImageSource[] {
  if (images === undefined) return [];
  if (!Array.isArray(images)) throw new Error(`${at} 'images' must be a list of { from, paths }`);
  const checked = images.map((image, i): ImageSource => {
    const prop = `images[${i}]`;
    const from = image?.from;
    if (!ImageStreamTag.isImageStreamTag(from) && typeof from !== 'string') {
      throw new Error(`${at} '${prop}.from' (${String(from)}) must be a stream tag (stream.tag('1')) or an image reference ('registry.example.com/tools:1')`);
    }
    // An image reference as the strategy's base is written: normalised (`busybox` → docker.io/library/busybox:latest).
    const ref = typeof from === 'string' ? checkImage(at, `${prop}.from`, from) : from;
    if (!Array.isArray(image.paths) || image.paths.length === 0) {
      throw new Error(`${at} '${prop}.paths' must list at least one { sourcePath, destinationDir }, e.g. [{ sourcePath: '/opt/lib/app.jar', destinationDir: 'lib' }]`);
    }
    const paths = image.paths.map((p: ImageSourcePath, j: number) => {
      const where = `${prop}.paths[${j}]`;
      const source = p?.sourcePath;
      if (typeof source !== 'string' || !source.startsWith('/') || source.split('/').includes('..') || /[\n\r]/.test(source)) {
        throw new Error(`${at} '${where}.sourcePath' (${String(source)}) must be an absolute path in the image without '..', e.g. '/opt/lib/app.jar', or '/opt/lib/.' for a directory's content`);
      }
      const dest = p.destinationDir;
      if (typeof dest !== 'string' || dest === '' || dest.startsWith('/') || dest.split('/').includes('..') || /[\n\r]/.test(dest)) {
        throw new Error(`${at} '${where}.destinationDir' (${String(dest)}) must be a directory relative to the sources' root without '..', e.g. 'lib' ('.' for the root)`);
      }
      return { sourcePath: source, destinationDir: dest };
    });
    const pullSecret = image.pullSecret === undefined ? undefined : checkSecretName(at, `${prop}.pullSecret`, image.pullSecret);
    return { from: ref, paths, ...(pullSecret ? { pullSecret } : {}) };
  });
  const secrets = [...new Set(checked.flatMap((i) => (i.pullSecret ? [i.pullSecret] : [])))];
  if (secrets.length > 1) {
    throw new Error(`${at} 'images' name two pullSecrets (${secrets.join(', ')}): the image sources are pulled with one Secret; merge the registries' credentials into one kubernetes.io/dockerconfigjson Secret and name it in each`);
  }
  return checked;
}
