import type { RuntimeVolume } from './runtime-config-maps';
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { CONTROLLER_NAME, CONTROLLER_LEASE_ROLE, LEASE_RULES, NAMESPACE_RULES, notifiersInTree, pullSecretRules, receiverRules, receiversInTree, RoleGrant } from './controller-rbac';
import { RECEIVER_PORT } from '../../lib/api/receiver';
import { RESTRICTED_CONTAINER_SECURITY, RESTRICTED_POD_SECURITY, RUNTIME_MOUNT_PATH } from './pod-security';
import { RUNTIME_FILE } from './runtime-bundle';

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
}

export interface ControllerProps extends ControllerOptions {
  /** The system namespace: the controller's Deployment, ServiceAccount and Lease live here. */
  readonly namespace: string;
  readonly image: string;
  /** The runtime ConfigMap's name in `namespace`. */
  readonly runtimeVolume: RuntimeVolume;
}

/** The Service in front of the controller's receiver listener, when the app has RegistryReceivers. */
export const RECEIVER_SERVICE_NAME = 'imagestreams-receiver';
export const MAX_CONTROLLER_REPLICAS = 5;
export const MAX_CONTROLLER_WORKERS = 32;
const SELECTOR = { 'app.kubernetes.io/name': 'imagestreams', 'app.kubernetes.io/component': 'controller' } as const;

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
    const { replicas, workers } = checkControllerOptions(props);
    const { namespace } = props;
    new ApiObject(this, 'ServiceAccount', {
      apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: this.serviceAccountName, namespace, labels: { ...SELECTOR } },
    });
    new RoleGrant(this, 'Leases', { name: CONTROLLER_LEASE_ROLE, namespace, rules: LEASE_RULES, serviceAccount: this.serviceAccount });
    // Made during the System's validation, when the whole tree is known: the receivers are all there.
    this.receives = receiversInTree(this.node.root).length > 0;
    this.notifies = notifiersInTree(this.node.root).length > 0;
    new ApiObject(this, 'Deployment', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: this.deploymentName, namespace, labels: { ...SELECTOR } },
      spec: { replicas, selector: { matchLabels: { ...SELECTOR } }, template: { metadata: { labels: { ...SELECTOR } }, spec: this.podSpec(workers) } },
    });
    if (this.receives) {
      new ApiObject(this, 'ReceiverService', {
        apiVersion: 'v1', kind: 'Service', metadata: { name: RECEIVER_SERVICE_NAME, namespace, labels: { ...SELECTOR } },
        spec: { type: 'ClusterIP', selector: { ...SELECTOR }, ports: [{ name: 'http', port: 80, targetPort: 'receiver', protocol: 'TCP' }] },
      });
    }
  }

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

  private get serviceAccount() {
    return { name: this.serviceAccountName, namespace: this.props.namespace };
  }

  private podSpec(workers: number) {
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
          ...(this.receives ? ['--receiver-port', String(RECEIVER_PORT)] : []),
          ...(this.notifies ? ['--notifications'] : []),
        ],
        ...(this.receives ? {
          ports: [{ name: 'receiver', containerPort: RECEIVER_PORT, protocol: 'TCP' }],
          readinessProbe: { httpGet: { path: '/readyz', port: 'receiver' }, periodSeconds: 5, failureThreshold: 3 },
          livenessProbe: { httpGet: { path: '/healthz', port: 'receiver' }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
        } : {}),
        // The runtime names itself after its pod, unique among replicas, for the Lease and for Events.
        env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } }],
        securityContext: RESTRICTED_CONTAINER_SECURITY,
        resources: { requests: { cpu: '20m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
        volumeMounts: [{ name: 'runtime', mountPath: RUNTIME_MOUNT_PATH, readOnly: true }],
      }],
      volumes: [runtimeVolume],
    };
  }
}

/** The options with their defaults; throws on values out of range. */
export function checkControllerOptions(options: ControllerOptions): Required<ControllerOptions> {
  return {
    replicas: checkWholeNumber(options.replicas ?? 1, 'replicas', MAX_CONTROLLER_REPLICAS),
    workers: checkWholeNumber(options.workers ?? 2, 'workers', MAX_CONTROLLER_WORKERS),
  };
}

function checkWholeNumber(value: number, prop: string, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`'controller.${prop}' (${value}) must be a whole number from 1 to ${max}`);
  }
  return value;
}
