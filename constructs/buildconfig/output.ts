import type { IConstruct } from 'constructs';
import type { BuildImageReference } from '../../lib/api/buildconfig';
import { ImageStream } from '../imagestream/image-stream';
import { ImageStreamTag } from '../imagestream/tag';
import { System } from '../system/system';
import { checkPushImage, checkSecretName } from './checks';

const OUTPUT_BRAND = Symbol.for('cdk8s-imagestreams.BuildOutput');

export interface BuildOutputOptions {
  /**
   * A kubernetes.io/dockerconfigjson Secret, by name, that the push step uses.
   * @default - the System registry's pushSecret for stream outputs; none (anonymous) for images
   */
  readonly pushSecret?: string;
  /**
   * Labels set on the built image, besides the commit labels every build adds.
   * @default - none
   */
  readonly imageLabels?: Readonly<Record<string, string>>;
}

export interface ImageOutputOptions extends BuildOutputOptions {
  /**
   * The registry speaks plain http, or https that the build must not verify (base pulls too).
   * @default false
   */
  readonly insecure?: boolean;
}

/** Where a build pushes: a stream tag (via the System's registry) or an image reference. */
export class BuildOutput {
  /**
   * Pushes to the stream's repository in the System's registry and moves the tag to the new
   * digest: `BuildOutput.imageStreamTag(stream.tag('latest'))`.
   */
  static imageStreamTag(tag: ImageStreamTag, options: BuildOutputOptions = {}): BuildOutput {
    const at = 'BuildOutput.imageStreamTag():';
    if (!ImageStreamTag.isImageStreamTag(tag)) throw new Error(`${at} 'tag' must be a stream tag: use stream.tag('latest')`);
    if (!tag.stream) {
      throw new Error(`${at} '${tag}' is a tag of a stream this app does not define: a build can only push to a stream of the app (new ImageStream(...))`);
    }
    return new BuildOutput({ tag }, checkOptions(at, options));
  }

  /** Pushes to an image reference with a tag, e.g. registry.example.com/team/app:1.0. */
  static image(image: string, options: ImageOutputOptions = {}): BuildOutput {
    const at = 'BuildOutput.image():';
    return new BuildOutput({ image: checkPushImage(at, 'image', image), insecure: options.insecure ?? false }, checkOptions(at, options));
  }

  static isBuildOutput(x: unknown): x is BuildOutput {
    return typeof x === 'object' && x !== null && OUTPUT_BRAND in x;
  }

  readonly pushSecret?: string;
  readonly imageLabels: Readonly<Record<string, string>>;

  private constructor(private readonly target: { readonly tag?: ImageStreamTag; readonly image?: string; readonly insecure?: boolean }, options: BuildOutputOptions) {
    Object.defineProperty(this, OUTPUT_BRAND, { value: true });
    this.pushSecret = options.pushSecret;
    this.imageLabels = options.imageLabels ?? {};
  }

  /** The stream tag, for stream outputs. */
  get tag(): ImageStreamTag | undefined {
    return this.target.tag;
  }

  /** The image reference, for image outputs. */
  get image(): string | undefined {
    return this.target.image;
  }

  /** For image outputs: plain http or unverified https. */
  get insecure(): boolean {
    return this.target.insecure ?? false;
  }
}

function checkOptions(at: string, options: BuildOutputOptions): BuildOutputOptions {
  for (const name of Object.keys(options.imageLabels ?? {})) {
    if (name === '' || /[\s=]/.test(name)) throw new Error(`${at} 'imageLabels' has an invalid name (${name}): use a non-empty key without spaces or '=', e.g. org.opencontainers.image.source`);
  }
  return {
    pushSecret: options.pushSecret === undefined ? undefined : checkSecretName(at, 'pushSecret', options.pushSecret),
    imageLabels: { ...(options.imageLabels ?? {}) },
  };
}

/** Where a build pushes, resolved against the System's registry. */
export interface ResolvedOutput {
  /** The image reference with its tag. */
  readonly image: string;
  /** Plain http or unverified https. */
  readonly insecure: boolean;
  readonly pushSecret?: string;
  /** As the BuildConfig's spec.output.to records it. */
  readonly to: BuildImageReference;
}

/**
 * A stream output pushes to `repositoryFor(namespace, stream).push:tag` and declares the tag on the
 * stream; an image output pushes where it says.
 */
export function resolveOutput(scope: IConstruct & { readonly namespace: string }, output: BuildOutput): ResolvedOutput {
  const tag = output.tag;
  if (!tag) return { image: output.image!, insecure: output.insecure, pushSecret: output.pushSecret, to: { kind: 'DockerImage', name: output.image! } };
  const registry = System.of(scope).registry;
  if (!registry) {
    throw new Error(`[${scope.node.path}] 'output' pushes to the stream tag ${tag}, but the System has no registry to push to: `
      + "set one, new System(app, 'imagestreams', { registry: StreamRegistry.external({ host: 'registry.example.com' }) }) or StreamRegistry.inCluster(), "
      + "or push to an image with BuildOutput.image('registry.example.com/team/app:tag')");
  }
  if (ImageStream.isImageStream(tag.stream)) tag.stream.declareOutputTag(tag.tag);
  const repository = registry.repositoryFor(tag.namespace, tag.streamName);
  return {
    image: `${repository.push}:${tag.tag}`,
    insecure: repository.insecure,
    pushSecret: output.pushSecret ?? registry.pushSecretIn(scope.namespace),
    to: { kind: 'ImageStreamTag', name: tag.name, ...(tag.namespace !== scope.namespace ? { namespace: tag.namespace } : {}) },
  };
}
