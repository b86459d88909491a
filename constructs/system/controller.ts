import type { StreamRegistryDefaults } from '../../lib/api/repository-path';
import type { ImageMirror } from '../../lib/api/image-mirror';
import type { RuntimeVolume } from './runtime-config-maps';
import { ApiObject, Lazy, Size, SizeRoundingBehavior } from 'cdk8s';
import { Construct } from 'constructs';
import { CONTROLLER_LEASE, CONTROLLER_NAME, CONTROLLER_LEASE_ROLE, LEASE_RULES, NAMESPACE_RULES, type PolicyRule, notifiersInTree, pullSecretRules, receiverRules, RoleGrant, enableGitWebhooks, servesWebhooks } from './controller-rbac';
import { RECEIVER_PORT } from '../../lib/api/receiver';
import { RESTRICTED_CONTAINER_SECURITY, RESTRICTED_POD_SECURITY, RUNTIME_MOUNT_PATH } from './pod-security';
import { RUNTIME_FILE } from './runtime-bundle';
import { sizeQuantity } from './registry/quantities';
import { MAX_SHARDS, shardLeaseName } from '../../lib/api/sharding';

/** How the System runs the controller. */
export interface ControllerOptions {
  /**
   * Replicas of the controller. One leads (a Lease in the system namespace); the others stand by and
   * take over within about 15 seconds when it goes away.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Objects the leader reconciles at the same time.
   * @default 2
   */
  readonly workers?: number;
  /**
   * Shards of the work, by namespace, for clusters with more objects than one leader should
   * reconcile: each shard owns a fixed range of a hash of the namespace's name (the way Argo CD
   * shards its application controller), runs as its own Deployment `imagestreams-controller-shard-<i>`
   * of `replicas` pods and elects its leader with its own Lease. When every pod of a shard is gone,
   * another shard's leader takes its namespaces over once its Lease has expired and 15 s more have
   * passed, and gives them back when a pod of that shard asks. Every pod still caches every managed
   * namespace (a stand-in needs them), so sharding divides the reconciles and writes, not the memory.
   * @default 1 (one Deployment `imagestreams-controller`)
   */
  readonly shards?: number;
  /**
   * Memory request and limit of each controller pod. The runtime's heap is capped at three quarters
   * of the limit (`NODE_OPTIONS=--max-old-space-size`), so that it collects garbage harder before the
   * kernel would kill it.
   * @default - request 192Mi, limit 512Mi: `npm run bench` measured a peak RSS of 152 MB with 5,000
   * streams and 5,000 triggered Deployments on the real API server, and 269 MB for the caches alone of
   * 20,000 of each (README, Benchmarks); the limit leaves room for 20,000 of each and a burst
   */
  readonly memory?: ControllerMemory;
  /**
   * Serve OpenShift's webhook URL (`/apis/build.openshift.io/v1/namespaces/<ns>/buildconfigs/<name>/webhooks/<secret>/<type>`)
   * for every BuildConfig, also those applied as OpenShift YAML, behind the Service
   * `imagestreams-receiver` (expose it with an Ingress of yours).
   * @default false - served only when the app has RegistryReceivers (the same listener)
   */
  readonly gitWebhooks?: boolean;
}

/** A controller pod's memory. */
export interface ControllerMemory {
  /** @default Size.mebibytes(192) */
  readonly request?: Size;
  /** @default Size.mebibytes(512) */
  readonly limit?: Size;
}

/** The controller's memory by default: see ControllerOptions.memory. */
export const DEFAULT_CONTROLLER_MEMORY = { request: Size.mebibytes(192), limit: Size.mebibytes(512) } as const;

export interface ControllerProps extends ControllerOptions {
  /** The system namespace: the controller's Deployment, ServiceAccount and Lease live here. */
  readonly namespace: string;
  readonly image: string;
  /** The runtime ConfigMap's name in `namespace`. */
  readonly runtimeVolume: RuntimeVolume;
  /** The System's registry, for BuildConfigs applied without a Pipeline (read at synthesis). @default - none */
  readonly streamRegistry?: () => StreamRegistryDefaults | undefined;
  /** The System's mirror of our default images, for the Pipelines the controller embeds. @default - none */
  readonly imageMirror?: ImageMirror;
}

/** The Service in front of the controller's receiver listener, when the app has RegistryReceivers. */
export const RECEIVER_SERVICE_NAME = 'imagestreams-receiver';
export const MAX_CONTROLLER_REPLICAS = 5;
export const MAX_CONTROLLER_WORKERS = 32;
const SELECTOR = { 'app.kubernetes.io/name': 'imagestreams', 'app.kubernetes.io/component': 'controller' } as const;
/** Which shard a controller pod is of, when there are several. */
export const SHARD_LABEL = 'imagestreams.dev/shard';

/**
 * The controller: a leader-elected Deployment in the system namespace running the runtime script,
 * its ServiceAccount, a Role for its Lease there, and a Role + RoleBinding in each managed namespace
 * (`grantNamespaces`, called before synthesis: objects made while a chart renders would be missed).
 * No ClusterRole: everything it touches is namespaced.
 *
 * When the app has RegistryReceivers, every replica listens for push notifications on port 8080
 * (`--receiver-port`), behind the ClusterIP Service `imagestreams-receiver` (port 80), with readiness
 * (`/readyz`: caches filled) and liveness (`/healthz`) probes on it. Without receivers it serves
 * nothing, and has no probes: an exec probe would only show that node runs.
 */
export class Controller extends Construct {
  readonly deploymentName = CONTROLLER_NAME;
  readonly serviceAccountName = CONTROLLER_NAME;
  private readonly granted = new Set<string>();

  constructor(scope: Construct, id: string, private readonly props: ControllerProps) {
    super(scope, id);
    const { replicas, workers, shards, memory } = checkControllerOptions(props);
    const { namespace } = props;
    this.shards = shards;
    new ApiObject(this, 'ServiceAccount', {
      apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: this.serviceAccountName, namespace, labels: { ...SELECTOR } },
    });
    new RoleGrant(this, 'Leases', { name: CONTROLLER_LEASE_ROLE, namespace, rules: leaseRules(shards), serviceAccount: this.serviceAccount });
    // Made during the System's validation, when the whole tree is known: the receivers are all there.
    if (props.gitWebhooks) enableGitWebhooks(this.node.root);
    this.receives = servesWebhooks(this.node.root);
    this.notifies = notifiersInTree(this.node.root).length > 0;
    if (shards === 1) {
      new ApiObject(this, 'Deployment', {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: this.deploymentName, namespace, labels: { ...SELECTOR } },
        spec: { replicas, selector: { matchLabels: { ...SELECTOR } }, template: { metadata: { labels: { ...SELECTOR } }, spec: this.podSpec(workers, memory) } },
      });
    }
    for (let shard = 0; shards > 1 && shard < shards; shard++) {
      const labels = { ...SELECTOR, [SHARD_LABEL]: String(shard) };
      new ApiObject(this, `Deployment-shard-${shard}`, {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `${this.deploymentName}-shard-${shard}`, namespace, labels },
        spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: this.podSpec(workers, memory, shard) } },
      });
    }
    if (this.receives) {
      new ApiObject(this, 'ReceiverService', {
        apiVersion: 'v1', kind: 'Service', metadata: { name: RECEIVER_SERVICE_NAME, namespace, labels: { ...SELECTOR } },
        spec: { type: 'ClusterIP', selector: { ...SELECTOR }, ports: [{ name: 'http', port: 80, targetPort: 'receiver', protocol: 'TCP' }] },
      });
    }
  }

  /** Shards of the work (one Deployment each when more than one). */
  readonly shards: number;
  /** Whether the app has RegistryReceivers: the controller listens for push notifications. */
  readonly receives: boolean;
  /** Whether the app has Notifiers: the controller sends notifications (`--notifications`). */
  readonly notifies: boolean;

  /** Emits the namespace Role + RoleBinding in each of `namespaces` that has none yet. */
  grantNamespaces(namespaces: readonly string[]): void {
    for (const ns of namespaces) {
      if (this.granted.has(ns)) continue;
      this.granted.add(ns);
      const rules = () => [...NAMESPACE_RULES, ...receiverRules(this.node.root), ...pullSecretRules(this.node.root, ns)];
      new RoleGrant(this, `Namespace-${ns}`, { name: CONTROLLER_NAME, namespace: ns, rules, serviceAccount: this.serviceAccount });
    }
  }

  /** The namespaces granted so far, sorted. */
  get managedNamespaces(): string[] {
    return [...this.granted].sort();
  }

  /** `--stream-registry {json}`, keys sorted (deterministic output). */
  private streamRegistryArgs(): string[] {
    const defaults = this.props.streamRegistry?.();
    if (!defaults) return [];
    return ['--stream-registry', sortedJson(defaults)];
  }

  private get serviceAccount() {
    return { name: this.serviceAccountName, namespace: this.props.namespace };
  }

  private podSpec(workers: number, memory: Required<ControllerMemory>, shard?: number) {
    const { namespace, image, runtimeVolume } = this.props;
    return {
      serviceAccountName: this.serviceAccountName,
      enableServiceLinks: false,
      securityContext: RESTRICTED_POD_SECURITY,
      containers: [{
        name: 'controller',
        image,
        command: [
          'node', `${RUNTIME_MOUNT_PATH}/${RUNTIME_FILE}`, 'controller',
          // Exactly what the Roles cover, so that the controller never watches where it may not.
          '--namespaces', Lazy.any({ produce: () => this.managedNamespaces.join(',') }),
          '--lease-namespace', namespace,
          '--workers', String(workers),
          ...this.streamRegistryArgs(),
          ...(this.props.imageMirror && Object.keys(this.props.imageMirror).length > 0 ? ['--image-mirror', sortedJson(this.props.imageMirror)] : []),
          ...(this.receives ? ['--receiver-port', String(RECEIVER_PORT)] : []),
          ...(this.notifies ? ['--notifications'] : []),
          ...(shard !== undefined ? ['--shards', String(this.shards), '--shard', String(shard)] : []),
        ],
        ...(this.receives ? {
          ports: [{ name: 'receiver', containerPort: RECEIVER_PORT, protocol: 'TCP' }],
          readinessProbe: { httpGet: { path: '/readyz', port: 'receiver' }, periodSeconds: 5, failureThreshold: 3 },
          livenessProbe: { httpGet: { path: '/healthz', port: 'receiver' }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
        } : {}),
        // The runtime names itself after its pod, unique among replicas, for the Lease and for Events.
        env: [
          { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
          // A small young generation: what the controller parses is short-lived, what it caches is not.
          { name: 'NODE_OPTIONS', value: `--max-old-space-size=${heapMebibytes(memory.limit)} --max-semi-space-size=1` },
        ],
        securityContext: RESTRICTED_CONTAINER_SECURITY,
        resources: {
          requests: { cpu: '20m', memory: sizeQuantity('controller.memory.request', memory.request) },
          limits: { cpu: '500m', memory: sizeQuantity('controller.memory.limit', memory.limit) },
        },
        volumeMounts: [{ name: 'runtime', mountPath: RUNTIME_MOUNT_PATH, readOnly: true }],
      }],
      volumes: [runtimeVolume],
    };
  }
}

/** The options with their defaults; throws on values out of range. */
export function checkControllerOptions(options: ControllerOptions): Required<ControllerOptions> & { memory: Required<ControllerMemory> } {
  return {
    gitWebhooks: checkBoolean(options.gitWebhooks ?? false, 'gitWebhooks'),
    replicas: checkWholeNumber(options.replicas ?? 1, 'replicas', MAX_CONTROLLER_REPLICAS),
    workers: checkWholeNumber(options.workers ?? 2, 'workers', MAX_CONTROLLER_WORKERS),
    shards: checkWholeNumber(options.shards ?? 1, 'shards', MAX_SHARDS),
    memory: checkMemory(options.memory ?? {}),
  };
}

function checkBoolean(value: unknown, prop: string): boolean {
  if (typeof value !== 'boolean') throw new Error(`'controller.${prop}' (${String(value)}) must be true or false`);
  return value;
}

/** Heap and everything else (code, buffers, sockets) must fit: at least 64 MiB, the request at most the limit. */
function checkMemory(memory: ControllerMemory): Required<ControllerMemory> {
  const request = memory.request ?? DEFAULT_CONTROLLER_MEMORY.request;
  const limit = memory.limit ?? (memory.request && mebibytes(memory.request) > mebibytes(DEFAULT_CONTROLLER_MEMORY.limit) ? memory.request : DEFAULT_CONTROLLER_MEMORY.limit);
  for (const [prop, size] of [['request', request], ['limit', limit]] as const) {
    sizeQuantity(`controller.memory.${prop}`, size);
    if (mebibytes(size) < 64) throw new Error(`'controller.memory.${prop}' (${sizeQuantity(`controller.memory.${prop}`, size)}) must be at least 64Mi: the runtime needs about 50 MB before it caches anything`);
  }
  if (mebibytes(request) > mebibytes(limit)) {
    throw new Error(`'controller.memory.request' (${sizeQuantity('controller.memory.request', request)}) must not exceed 'controller.memory.limit' (${sizeQuantity('controller.memory.limit', limit)}): raise the limit or lower the request`);
  }
  return { request, limit };
}

function mebibytes(size: Size): number {
  return size.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
}

/** Three quarters of the limit for V8's old space: the rest is code, new space, buffers and sockets. */
function heapMebibytes(limit: Size): number {
  return Math.floor((mebibytes(limit) * 3) / 4);
}

/** The Lease rules: one Lease, or a Lease per shard, which a waiting pod of the shard annotates (patch) to have it given back. */
function leaseRules(shards: number): PolicyRule[] {
  if (shards === 1) return [...LEASE_RULES];
  const names = Array.from({ length: shards }, (_, shard) => shardLeaseName(CONTROLLER_LEASE, shard, shards));
  return [LEASE_RULES[0], { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: names, verbs: ['get', 'update', 'patch'] }];
}

function checkWholeNumber(value: number, prop: string, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`'controller.${prop}' (${value}) must be a whole number from 1 to ${max}`);
  }
  return value;
}

/** JSON with keys sorted: the same arguments on any machine. */
function sortedJson(value: object): string {
  return JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))));
}
