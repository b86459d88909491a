import type { Duration } from 'cdk8s';
import type { Construct } from 'constructs';
import { parseReference } from '../../lib/api/image-reference';
import { shown } from '../_input';
import { isDnsSubdomain } from '../../lib/api/names';
import { ImageStream } from '../imagestream/image-stream';
import { ImageStreamTag } from '../imagestream/tag';

const BASE_BRAND = Symbol.for('cdk8s-imagestreams.AppBase');

export interface ImportBaseOptions {
  /**
   * The stream the image is imported into, in the app's namespace.
   * @default - the image's repository name, e.g. 'eclipse-temurin' for docker.io/library/eclipse-temurin:8-jdk
   */
  readonly stream?: string;
  /**
   * The stream's tag the image is imported into.
   * @default 'latest'
   */
  readonly tag?: string;
  /**
   * How often the image is re-imported; a new digest rebuilds the app.
   * @default Duration.minutes(15)
   */
  readonly interval?: Duration;
  /**
   * kubernetes.io/dockerconfigjson Secrets (names) the importer may use.
   * @default - anonymous pulls
   */
  readonly pullSecrets?: readonly string[];
}

/**
 * What a GitApp builds on: the Dockerfile's FROM (Docker strategy) or the S2I builder (Source
 * strategy). A stream tag rebuilds the app whenever it moves; a fixed image never does.
 */
export class AppBase {
  /**
   * Imports `image` into a stream of the app's own (`options.stream`, tag `options.tag`) on a
   * schedule; each new digest rebuilds the app: `AppBase.importImage('docker.io/library/eclipse-temurin:8-jdk', { stream: 'jdk8' })`.
   */
  static importImage(image: string, options: ImportBaseOptions = {}): AppBase {
    const at = 'AppBase.importImage():';
    let repository: string;
    try {
      repository = parseReference(image).repository;
    } catch (e) {
      throw new Error(`${at} 'image' (${image}) is not a valid image reference: ${(e as Error).message}`);
    }
    const stream = options.stream ?? repository.split('/').pop()!;
    if (!isDnsSubdomain(stream)) throw new Error(`${at} 'stream' (${stream}) is not a valid ImageStream name: use lower-case letters, digits, '-' and '.'`);
    return new AppBase({ import: { image, stream, tag: options.tag ?? 'latest', interval: options.interval, pullSecrets: options.pullSecrets } });
  }

  /** A tag of a stream defined elsewhere (`jdk8.tag('latest')` or `ImageStreamTag.external('ns/jdk8:latest')`); each new digest rebuilds the app. */
  static tag(tag: ImageStreamTag): AppBase {
    if (!ImageStreamTag.isImageStreamTag(tag)) throw new Error("AppBase.tag(): 'tag' must be a stream tag: use stream.tag('latest') or ImageStreamTag.external('ns/stream:tag')");
    return new AppBase({ tag });
  }

  /** A fixed image reference, pinned by tag or digest; the app is rebuilt only by git changes. */
  static image(image: string): AppBase {
    if (typeof image !== 'string') throw new Error(`AppBase.image(): 'image' (${shown(image)}) must be a string, an image reference such as 'docker.io/library/node:22'`);
    const lastSegment = image.split('/').pop() ?? '';
    if (!lastSegment.includes(':') && !image.includes('@')) throw new Error(`AppBase.image(): 'image' (${image}) has no tag or digest: pin a version, e.g. ${image}:1.2.3, or a digest`);
    return new AppBase({ image });
  }

  static isAppBase(x: unknown): x is AppBase {
    return typeof x === 'object' && x !== null && BASE_BRAND in x;
  }

  private constructor(private readonly choice: {
    readonly import?: { image: string; stream: string; tag: string; interval?: Duration; pullSecrets?: readonly string[] };
    readonly tag?: ImageStreamTag;
    readonly image?: string;
  }) {
    Object.defineProperty(this, BASE_BRAND, { value: true });
  }

  /**
   * The base as strategies take it, creating the imported stream (as child `id` of `scope`) when
   * there is one.
   */
  bind(scope: Construct, id: string, namespace: string): { base: ImageStreamTag | string; stream?: ImageStream } {
    const imported = this.choice.import;
    if (imported) {
      const stream = new ImageStream(scope, id, { name: imported.stream, namespace, pullSecrets: imported.pullSecrets });
      return { base: stream.importTag(imported.tag, { from: imported.image, interval: imported.interval }), stream };
    }
    return { base: this.choice.tag ?? this.choice.image! };
  }
}
