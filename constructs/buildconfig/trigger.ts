import type { BuildTriggerPolicy, WebhookType } from '../../lib/runtime/api/buildconfig';
import { ImageStreamTag } from '../imagestream/tag';
import { checkSecretName } from './_checks';

const TRIGGER_BRAND = Symbol.for('cdk8s-imagestreams.BuildTrigger');
const WEBHOOK_TYPES: readonly WebhookType[] = ['GitHub', 'GitLab', 'Bitbucket', 'Generic'];

export interface ImageChangeTriggerOptions {
  /**
   * The stream tag whose new digests start builds.
   * @default - the strategy's base (which must then be a stream tag)
   */
  readonly from?: ImageStreamTag;
}

export interface ConfigChangeTriggerOptions {
  /**
   * Also build when the BuildConfig's spec changes; OpenShift builds only once, when it is created.
   * @default false
   */
  readonly onSpecChange?: boolean;
}

export interface WebhookTriggerOptions {
  /** The git host's webhook flavour. */
  readonly type: WebhookType;
  /** A Secret, by name, whose key `WebHookSecretKey` holds the webhook's shared secret. */
  readonly secret: string;
}

/** What starts builds; the controller acts on them, the BuildConfig records them. */
export class BuildTrigger {
  /** Builds when a stream tag gets a new digest (by default the strategy's base). */
  static imageChange(options: ImageChangeTriggerOptions = {}): BuildTrigger {
    if (options.from !== undefined && !ImageStreamTag.isImageStreamTag(options.from)) {
      throw new Error("BuildTrigger.imageChange(): 'from' must be a stream tag: use stream.tag('latest') or ImageStreamTag.external('ns/stream:tag')");
    }
    return new BuildTrigger('ImageChange', options.from);
  }

  /** Builds once when the BuildConfig is created, and on spec changes when `onSpecChange`. */
  static configChange(options: ConfigChangeTriggerOptions = {}): BuildTrigger {
    return new BuildTrigger('ConfigChange', undefined, options.onSpecChange ?? false);
  }

  /** Builds on pushes reported by a git host's webhook (the listener objects come with the Triggers support). */
  static webhook(options: WebhookTriggerOptions): BuildTrigger {
    if (!WEBHOOK_TYPES.includes(options.type)) {
      throw new Error(`BuildTrigger.webhook(): 'type' (${options.type}) must be one of ${WEBHOOK_TYPES.join(', ')}`);
    }
    return new BuildTrigger(options.type, undefined, undefined, checkSecretName('BuildTrigger.webhook():', 'secret', options.secret));
  }

  static isBuildTrigger(x: unknown): x is BuildTrigger {
    return typeof x === 'object' && x !== null && TRIGGER_BRAND in x;
  }

  private constructor(
    readonly type: BuildTriggerPolicy['type'],
    /** ImageChange: the explicit stream tag. */
    readonly from?: ImageStreamTag,
    private readonly onSpecChange?: boolean,
    /** Webhooks: the Secret's name. */
    readonly secret?: string,
  ) {
    Object.defineProperty(this, TRIGGER_BRAND, { value: true });
  }

  /** Equal triggers are duplicates: same type, same tag, same secret. */
  get key(): string {
    return `${this.type}:${this.from?.toString() ?? ''}:${this.secret ?? ''}`;
  }

  /** The trigger as the BuildConfig's spec records it, relative to `namespace`. */
  toSpec(namespace: string): BuildTriggerPolicy {
    if (this.type === 'ImageChange') {
      const from = this.from;
      return { type: 'ImageChange', imageChange: from ? { from: { kind: 'ImageStreamTag', name: from.name, ...(from.namespace !== namespace ? { namespace: from.namespace } : {}) } } : {} };
    }
    if (this.type === 'ConfigChange') return { type: 'ConfigChange', configChange: this.onSpecChange ? { onSpecChange: true } : {} };
    const field = this.type.toLowerCase() as 'github' | 'gitlab' | 'bitbucket' | 'generic';
    return { type: this.type, [field]: { secretReference: { name: this.secret! } } };
  }
}
