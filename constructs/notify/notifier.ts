import { ApiObject } from 'cdk8s';
import { namespaceOf } from '../_names';
import { checkOptions, keysOf } from '../_input';
import { Construct } from 'constructs';
import { GROUP_VERSION, NOTIFIER_KIND } from '../../lib/api/group';
import { isDnsSubdomain } from '../../lib/api/names';
import { NOTIFICATION_EVENTS, NOTIFIER_TYPES, type NotificationEventType, type NotificationSource, type NotifierSpec, type NotifierType } from '../../lib/api/notifier';
import { markUsesController } from '../system/managed-namespaces';
import { System } from '../system/system';

export type { NotificationEventType, NotifierType } from '../../lib/api/notifier';

const NOTIFIER_BRAND = Symbol.for('cdk8s-imagestreams.Notifier');

/** What a notifier listens to: an ImageStream or BuildConfig construct, or one named. */
export type NotifierSource = NotificationSource | { readonly streamName: string; readonly namespace: string } | { readonly buildConfigName: string; readonly namespace: string };

const PROPS = keysOf<NotifierProps>({ type: true, secretName: true, name: true, namespace: true, events: true, sources: true, allNamespaces: true });

export interface NotifierProps {
  /**
   * `Webhook`: a JSON POST of each event (`{ id, type, namespace, source, time, message, data }`);
   * `Slack`: a Slack-compatible incoming webhook message (`text` and `blocks`); `CloudEvents`: a
   * structured-mode CloudEvent 1.0 (`type` `dev.imagestreams.…`).
   */
  readonly type: NotifierType;
  /**
   * A Secret of the notifier's namespace: key `address` holds the URL to post to (a Slack hook's URL
   * is its credential), optional key `token` a bearer token sent as `Authorization: Bearer …`.
   */
  readonly secretName: string;
  /**
   * The Notifier's name.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The namespace whose events it sends.
   * @default - the chart's namespace (one of the two is required)
   */
  readonly namespace?: string;
  /**
   * Only these events: `ImageImported` (a new digest of an imported tag), `BuildStarted`,
   * `BuildSucceeded`, `BuildFailed`, `RolledOut` (a workload following a tag set to its new image).
   * @default - all of them
   */
  readonly events?: readonly NotificationEventType[];
  /**
   * Only the events of these streams and BuildConfigs (a rollout is its stream's).
   * @default - every one of the namespace
   */
  readonly sources?: readonly NotifierSource[];
  /**
   * Events of every namespace the controller manages: the system-wide notifier. Only in the System's
   * namespace (a tenant must not hear another's events).
   * @default false
   */
  readonly allNamespaces?: boolean;
}

/**
 * Where the controller sends what happens (Flux's notification Provider and Alert in one): a new
 * imported digest, builds starting, succeeding and failing, rollouts. Each delivery is retried with
 * back-off while the receiver can't take it (5xx, 429, unreachable); a refusal (4xx) is a Warning Event
 * `NotificationFailed` on the Notifier.
 */
export class Notifier extends Construct {
  static isNotifier(x: unknown): x is Notifier {
    return typeof x === 'object' && x !== null && NOTIFIER_BRAND in x;
  }

  readonly notifierName: string;
  readonly namespace: string;
  readonly secretName: string;

  constructor(scope: Construct, id: string, props: NotifierProps) {
    super(scope, id);
    Object.defineProperty(this, NOTIFIER_BRAND, { value: true });
    checkOptions(`[${this.node.path}]`, 'props', props, PROPS, "{ type: 'Slack', secretName: 'slack-webhook' }");
    this.notifierName = checkName(this, props.name ?? id, 'name');
    this.namespace = namespaceOf(this, props.namespace, 'a Notifier');
    this.secretName = checkName(this, props.secretName, 'secretName');
    if (!NOTIFIER_TYPES.includes(props.type)) fail(this, `'type' (${props.type}) must be one of ${NOTIFIER_TYPES.join(', ')}`);
    for (const event of props.events ?? []) {
      if (!NOTIFICATION_EVENTS.includes(event)) fail(this, `'events' holds '${event}': use ${NOTIFICATION_EVENTS.join(', ')}`);
    }
    if (props.allNamespaces) {
      const system = System.of(this).systemNamespace;
      if (this.namespace !== system) fail(this, `'allNamespaces' is only for a notifier in the System's namespace '${system}' (this one is in '${this.namespace}'): a tenant may not hear another's events`);
    }
    markUsesController(this);
    const spec: NotifierSpec = {
      type: props.type,
      secretRef: { name: this.secretName },
      ...(props.events?.length ? { events: [...new Set(props.events)] } : {}),
      ...(props.sources?.length ? { sources: props.sources.map((s) => this.source(s)) } : {}),
      ...(props.allNamespaces ? { allNamespaces: true } : {}),
    };
    new ApiObject(this, 'Resource', { apiVersion: GROUP_VERSION, kind: NOTIFIER_KIND, metadata: { name: this.notifierName, namespace: this.namespace }, spec });
  }

  /** @internal the System's controller: the notifier's namespace is one it must watch. */
  controllerNamespaces(): readonly string[] {
    return [this.namespace];
  }

  private source(source: NotifierSource): NotificationSource {
    if ('kind' in source) return { kind: source.kind, name: checkName(this, source.name, 'sources') };
    const [kind, name] = 'streamName' in source ? ['ImageStream', source.streamName] as const : ['BuildConfig', source.buildConfigName] as const;
    if (source.namespace !== this.namespace) fail(this, `'sources' holds ${kind} '${source.namespace}/${name}', but a notifier hears only its own namespace '${this.namespace}'`);
    return { kind, name };
  }
}

function checkName(scope: Construct, name: string, prop: string): string {
  if (!isDnsSubdomain(name)) fail(scope, `'${prop}' holds '${name}', which is not an object name: use lower-case letters, digits, '-' and '.', at most 253`);
  return name;
}

function fail(scope: Construct, message: string): never {
  throw new Error(`[${scope.node.path}] ${message}`);
}
