import { ApiObject } from 'cdk8s';
import { Construct, type IConstruct } from 'constructs';
import { appChanged } from '../_app-index';

/** The label Pod Security admission reads a namespace's enforced level from. */
export const POD_SECURITY_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

const BUILDCONFIG_BRAND = Symbol.for('cdk8s-imagestreams.BuildConfig');

/** Namespaces every cluster has: never emitted, so that no tool of the app's ever owns (or prunes) them. */
const BUILTIN_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

/** Kinds whose objects are cluster-scoped: a namespace set on them (e.g. by a chart) places nothing. */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass',
  'PriorityClass', 'IngressClass', 'RuntimeClass', 'CSIDriver', 'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'APIService',
  'ClusterInterceptor', 'ClusterTriggerBinding',
]);

export interface AppNamespacesProps {
  /** The System's own namespace. */
  readonly systemNamespace: string;
  /** Whether to emit the System's own namespace. */
  readonly createSystemNamespace: boolean;
  /** Whether to emit the other namespaces the app's objects are in. */
  readonly createAppNamespaces: boolean;
  /** Namespaces never to emit: managed elsewhere. */
  readonly externalNamespaces: ReadonlySet<string>;
}

/**
 * The Namespace objects of the app: one for every namespace that an object of the app is in, so that
 * a first apply on an empty cluster finds them. Namespaces the app defines itself, built-in ones and
 * external ones are not emitted. Emitted while cdk8s validates the tree (before any chart renders):
 * the one point where every object, the controller's Roles included, exists and objects can still be
 * added; each pass adds only what is missing.
 */
export class AppNamespaces extends Construct {
  private readonly emitted = new Set<string>();

  constructor(scope: Construct, id: string, private readonly props: AppNamespacesProps) {
    super(scope, id);
    this.node.addValidation({ validate: () => (this.emit(), []) });
  }

  /** The namespaces this construct emits, as the tree stands now: sorted. */
  get names(): string[] {
    const { systemNamespace, createSystemNamespace, createAppNamespaces, externalNamespaces } = this.props;
    const wanted = new Set<string>(createAppNamespaces ? namespacesOfObjects(this.node.root) : []);
    wanted.delete(systemNamespace);
    if (createSystemNamespace) wanted.add(systemNamespace);
    for (const ns of namespacesDefinedElsewhere(this)) wanted.delete(ns);
    return [...wanted].filter((ns) => !BUILTIN_NAMESPACES.has(ns) && !externalNamespaces.has(ns)).sort();
  }

  private emit(): void {
    const builds = buildNamespaces(this.node.root);
    for (const name of this.names) {
      if (this.emitted.has(name)) continue;
      this.emitted.add(name);
      const level = podSecurityLevel(name, this.props.systemNamespace, builds);
      new ApiObject(this, name, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name, labels: level ? { [POD_SECURITY_ENFORCE_LABEL]: level } : undefined },
      });
      appChanged(this); // checks that read the app's Namespaces (Pod Security levels) see this one
    }
  }
}

/**
 * The Pod Security level a namespace we emit enforces, where we know what runs there: `baseline`
 * where BuildConfigs build (buildah runs as root with five capabilities), `restricted` for the
 * System's own namespace (the controller and the in-cluster registry meet it). Elsewhere the user's
 * own workloads run, so the cluster's default stays.
 */
function podSecurityLevel(namespace: string, systemNamespace: string, builds: ReadonlySet<string>): string | undefined {
  if (builds.has(namespace)) return 'baseline';
  if (namespace === systemNamespace) return 'restricted';
  return undefined;
}

/** Every namespace a namespaced object of the app is in. */
function namespacesOfObjects(root: IConstruct): Set<string> {
  const namespaces = new Set<string>();
  for (const c of root.node.findAll()) {
    if (!ApiObject.isApiObject(c) || CLUSTER_SCOPED_KINDS.has(c.kind)) continue;
    if (c.metadata.namespace) namespaces.add(c.metadata.namespace);
  }
  return namespaces;
}

/** Namespaces the app defines with Namespace objects of its own (not ours). */
function namespacesDefinedElsewhere(ours: IConstruct): Set<string> {
  const namespaces = new Set<string>();
  for (const c of ours.node.root.node.findAll()) {
    if (ApiObject.isApiObject(c) && c.kind === 'Namespace' && c.apiVersion === 'v1' && c.node.scope !== ours) namespaces.add(c.name);
  }
  return namespaces;
}

function buildNamespaces(root: IConstruct): Set<string> {
  const namespaces = new Set<string>();
  for (const c of root.node.findAll()) {
    if (BUILDCONFIG_BRAND in c) namespaces.add((c as unknown as { readonly namespace: string }).namespace);
  }
  return namespaces;
}
