import { ApiObject, Duration } from 'cdk8s';
import { namespaceOf } from '../_names';
import { checkOptions, keysOf } from '../_input';
import { Construct } from 'constructs';
import { GROUP_VERSION, RECEIVER_KIND } from '../../lib/api/group';
import { isRegistryHost } from '../../lib/api/image-reference';
import { isDnsSubdomain } from '../../lib/api/names';
import { DEFAULT_RECEIVER_MAX_AGE_SECONDS, RECEIVER_AUTH, RECEIVER_TOKEN_KEY, RECEIVER_TYPES, receiverPath, type ReceiverAuth, type ReceiverType, type RegistryReceiverSpec } from '../../lib/api/receiver';
import { markUsesController } from '../system/managed-namespaces';

export type { ReceiverType } from '../../lib/api/receiver';

const RECEIVER_BRAND = Symbol.for('cdk8s-imagestreams.RegistryReceiver');

/** A stream the receiver may nudge: an ImageStream construct, or the name of one in the receiver's namespace. */
export type ReceiverStream = string | { readonly streamName: string; readonly namespace: string };

const PROPS = keysOf<RegistryReceiverProps>({ type: true, secretName: true, name: true, namespace: true, registries: true, streams: true, maxAge: true });

export interface RegistryReceiverProps {
  /**
   * The sender, which fixes the payload format and how deliveries are authenticated: `Distribution`
   * (a CNCF distribution registry's `notifications.endpoints`, with the header `Authorization: Bearer
   * <token>`), `Harbor` (a webhook policy whose "Auth Header" is the token), `GHCR` (a GitHub webhook
   * for `package` or `registry_package` events, the token as its secret: every delivery is signed),
   * `DockerHub` and `Quay` (a webhook URL ending in `/<token>`: they can neither sign nor send a header).
   */
  readonly type: ReceiverType;
  /**
   * A Secret of the receiver's namespace holding the shared token under the key `token` (at least 16
   * characters; `openssl rand -hex 32`). It is read by name; make it yourself, never in Git.
   */
  readonly secretName: string;
  /**
   * The RegistryReceiver's name: part of its URL, so it is never hashed.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The receiver's namespace: it nudges only the streams of this namespace.
   * @default - the chart's namespace (one of the two is required)
   */
  readonly namespace?: string;
  /**
   * The registries this receiver speaks for, as streams name them (`registry.example.com:5000`). Set it
   * for a distribution registry whose pushers address it by another name than importers do (it reports
   * the pusher's), and to keep a receiver from nudging tags of any other registry.
   * @default - the host each event names
   */
  readonly registries?: readonly string[];
  /**
   * Only these streams are nudged.
   * @default - every stream of the namespace
   */
  readonly streams?: readonly ReceiverStream[];
  /**
   * Deliveries older than this (by the time they carry) are refused as replays, and delivery ids are
   * remembered as long.
   * @default Duration.minutes(10)
   */
  readonly maxAge?: Duration;
}

/**
 * Where a registry's push notifications come in (Flux's Receiver, for registries): a
 * `RegistryReceiver` object that the controller serves at `/hooks/<namespace>/<name>` on its
 * receiver Service (`imagestreams-receiver` in the system namespace; expose it with an Ingress or a
 * Gateway for senders outside the cluster). An event only nudges: the stream tags of the namespace
 * that import the pushed repository and tag are imported at once, and the import asks the registry
 * for the digest and verifies it, as every import does — a forged event can at worst cost a HEAD.
 * @see https://distribution.github.io/distribution/about/notifications/
 */
export class RegistryReceiver extends Construct {
  /** Whether `x` is a RegistryReceiver, across duplicate copies of this package (no `instanceof`). */
  static isRegistryReceiver(x: unknown): x is RegistryReceiver {
    return typeof x === 'object' && x !== null && RECEIVER_BRAND in x;
  }

  readonly receiverName: string;
  readonly namespace: string;
  readonly type: ReceiverType;
  readonly secretName: string;
  /** How its sender authenticates: `bearer`, `hmac-sha256` or `path`. */
  readonly auth: ReceiverAuth;

  constructor(scope: Construct, id: string, props: RegistryReceiverProps) {
    super(scope, id);
    Object.defineProperty(this, RECEIVER_BRAND, { value: true });
    checkOptions(`[${this.node.path}]`, 'props', props, PROPS, "{ type: 'Quay', secretName: 'quay-hook' }");
    this.receiverName = checkName(this, props.name ?? id, 'name');
    this.namespace = namespaceOf(this, props.namespace, 'a RegistryReceiver');
    if (!RECEIVER_TYPES.includes(props.type)) fail(this, `'type' (${props.type}) must be one of ${RECEIVER_TYPES.join(', ')}`);
    this.type = props.type;
    this.auth = RECEIVER_AUTH[props.type];
    this.secretName = checkName(this, props.secretName, 'secretName');
    markUsesController(this);
    new ApiObject(this, 'Resource', {
      apiVersion: GROUP_VERSION,
      kind: RECEIVER_KIND,
      metadata: { name: this.receiverName, namespace: this.namespace },
      spec: this.spec(props),
    });
  }

  /**
   * The path deliveries are posted to on the receiver Service, `/hooks/<namespace>/<name>`; for
   * DockerHub and Quay, append `/<token>` (the Secret's token) to the URL you give them.
   */
  get path(): string {
    return receiverPath(this.namespace, this.receiverName);
  }

  /** @internal the System's controller: the receiver's namespace is one it must watch. */
  controllerNamespaces(): readonly string[] {
    return [this.namespace];
  }

  private spec(props: RegistryReceiverProps): RegistryReceiverSpec {
    const registries = props.registries?.map((host) => (isRegistryHost(host) ? host : fail(this, `'registries' holds '${host}', which is not a registry host: write it as streams name it, e.g. registry.example.com:5000`)));
    const streams = props.streams?.map((s) => this.streamName(s));
    const maxAgeSeconds = props.maxAge?.toSeconds();
    if (maxAgeSeconds !== undefined && (!Number.isInteger(maxAgeSeconds) || maxAgeSeconds < 10 || maxAgeSeconds > 86_400)) {
      fail(this, `'maxAge' (${maxAgeSeconds}s) must be whole seconds from 10 seconds to 24 hours`);
    }
    return {
      type: props.type,
      secretRef: { name: this.secretName },
      ...(registries?.length ? { registries } : {}),
      ...(streams?.length ? { streams } : {}),
      ...(maxAgeSeconds !== undefined && maxAgeSeconds !== DEFAULT_RECEIVER_MAX_AGE_SECONDS ? { maxAgeSeconds } : {}),
    };
  }

  private streamName(stream: ReceiverStream): string {
    if (typeof stream === 'string') return checkName(this, stream, 'streams');
    if (stream.namespace !== this.namespace) {
      fail(this, `'streams' holds ImageStream '${stream.namespace}/${stream.streamName}', but a receiver nudges only streams of its own namespace '${this.namespace}': make a receiver there`);
    }
    return stream.streamName;
  }
}

/** The Secret key the token is read from. */
export const RECEIVER_SECRET_KEY = RECEIVER_TOKEN_KEY;

function checkName(receiver: Construct, name: string, prop: string): string {
  if (!isDnsSubdomain(name)) fail(receiver, `'${prop}' holds '${name}', which is not an object name: use lower-case letters, digits, '-' and '.', at most 253`);
  return name;
}

function fail(receiver: Construct, message: string): never {
  throw new Error(`[${receiver.node.path}] ${message}`);
}
