import type { Duration } from 'cdk8s';
import type { BuildTriggerPolicy, WebhookType } from '../../lib/api/buildconfig';
import { ImageStreamTag } from '../imagestream/tag';
import { checkSecretName } from './checks';
import { formatGoDuration } from '../../lib/api/duration';
import { isDnsSubdomain } from '../../lib/api/names';

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

/** The key of the webhook Secret that holds the shared secret, as OpenShift names it. */
export const DEFAULT_WEBHOOK_SECRET_KEY = 'WebHookSecretKey';
/** The shortest poll interval: git hosts rate-limit anonymous `git ls-remote`. */
export const MIN_GIT_POLL_SECONDS = 60;

/** An Ingress to the BuildConfig's EventListener, for git hosts outside the cluster. */
export interface WebhookIngressOptions {
  /** The host name the git host posts to, e.g. 'hooks.example.com'. */
  readonly host: string;
  /**
   * The URL path (the listener answers on any path).
   * @default - '/hooks/<namespace>/<buildconfig>/<type>', unique on a shared host
   */
  readonly path?: string;
  /**
   * The IngressClass.
   * @default - the cluster's default IngressClass
   */
  readonly className?: string;
  /**
   * A kubernetes.io/tls Secret for the host: git hosts should post over https.
   * @default - no TLS section (plain http, or TLS terminated in front of the Ingress)
   */
  readonly tlsSecret?: string;
}

export interface WebhookTriggerOptions {
  /** The git host's webhook flavour. */
  readonly type: WebhookType;
  /** A Secret, by name, that holds the webhook's shared secret (the key is `secretKey`). */
  readonly secret: string;
  /**
   * The key of `secret` that holds the shared secret.
   * @default 'WebHookSecretKey'
   */
  readonly secretKey?: string;
  /**
   * Expose the listener through an Ingress.
   * @default - none: the listener is the ClusterIP Service `el-<buildconfig>`, port 8080
   */
  readonly ingress?: WebhookIngressOptions;
}

export interface GitPollTriggerOptions {
  /** How often the branch is checked (rounded down to a period cron can express). At least one minute. */
  readonly interval: Duration;
}

/** The resolved settings of a webhook trigger. */
export interface WebhookSettings {
  readonly secretKey: string;
  readonly ingress?: WebhookIngressOptions;
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

  /**
   * Builds each push to the source's branch that a git host reports, as Tekton Triggers objects: an
   * EventListener per BuildConfig, the host's interceptor checking the shared secret, and a branch
   * filter. The source needs an explicit `ref` (the branch).
   * @see https://tekton.dev/docs/triggers/interceptors/
   */
  static webhook(options: WebhookTriggerOptions): BuildTrigger {
    const at = 'BuildTrigger.webhook():';
    if (!WEBHOOK_TYPES.includes(options.type)) {
      throw new Error(`${at} 'type' (${options.type}) must be one of ${WEBHOOK_TYPES.join(', ')}`);
    }
    const secretKey = options.secretKey ?? DEFAULT_WEBHOOK_SECRET_KEY;
    if (!/^[-._a-zA-Z0-9]+$/.test(secretKey)) throw new Error(`${at} 'secretKey' (${secretKey}) must be a Secret key: letters, digits, '-', '_' and '.'`);
    const ingress = options.ingress === undefined ? undefined : checkIngress(at, options.ingress);
    return new BuildTrigger(options.type, undefined, undefined, checkSecretName(at, 'secret', options.secret), { secretKey, ingress });
  }

  /**
   * Builds each new commit on the source's branch, found by a CronJob running `git ls-remote`: for
   * clusters that git hosts cannot reach. A commit starts exactly one build (the run is named after it).
   */
  static gitPoll(options: GitPollTriggerOptions): BuildTrigger {
    const seconds = options.interval.toSeconds();
    if (seconds < MIN_GIT_POLL_SECONDS) {
      throw new Error(`BuildTrigger.gitPoll(): 'interval' (${seconds}s) must be at least ${MIN_GIT_POLL_SECONDS}s: git hosts rate-limit polling, use Duration.minutes(5) or a webhook`);
    }
    return new BuildTrigger('GitPoll', undefined, undefined, undefined, undefined, options.interval);
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
    /** Webhooks: the Secret's key and the Ingress. */
    readonly webhook?: WebhookSettings,
    /** GitPoll: how often. */
    readonly interval?: Duration,
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
    if (this.type === 'GitPoll') return { type: 'GitPoll', gitPoll: { interval: formatGoDuration(this.interval!.toMilliseconds()) } };
    const field = this.type.toLowerCase() as 'github' | 'gitlab' | 'bitbucket' | 'generic';
    return { type: this.type, [field]: { secretReference: { name: this.secret! } } };
  }
}

function checkIngress(at: string, ingress: WebhookIngressOptions): WebhookIngressOptions {
  if (!isDnsSubdomain(ingress.host.replace(/^\*\./, ''))) {
    throw new Error(`${at} 'ingress.host' (${ingress.host}) must be a DNS name such as hooks.example.com`);
  }
  if (ingress.path !== undefined && !/^\/[^\s]*$/.test(ingress.path)) {
    throw new Error(`${at} 'ingress.path' (${ingress.path}) must be an absolute URL path such as /hooks/foo`);
  }
  if (ingress.tlsSecret !== undefined) checkSecretName(at, 'ingress.tlsSecret', ingress.tlsSecret);
  if (ingress.className !== undefined) checkSecretName(at, 'ingress.className', ingress.className, 'IngressClass');
  return { ...ingress };
}
