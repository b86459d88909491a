import { ApiObject, Lazy } from 'cdk8s';
import { Construct, type IConstruct } from 'constructs';
import { memoized } from '../_app-index';
import { API_GROUP, NOTIFIER_PLURAL, RECEIVER_PLURAL } from '../../lib/api/group';

/** The controller's object names: public API, never generated. */
export const CONTROLLER_NAME = 'imagestreams-controller';
/** The Lease the replicas elect a leader with (the runtime's default name). */
export const CONTROLLER_LEASE = 'imagestreams-controller';
/** Apart from CONTROLLER_NAME, so that it can't collide with the namespace Role when the system namespace is also managed. */
export const CONTROLLER_LEASE_ROLE = 'imagestreams-controller-leases';

export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly verbs: readonly string[];
}

/**
 * What the controller may do in each namespace it manages, and nothing more (test/security/rbac.test.ts
 * runs it with exactly these and checks that it uses each): list and watch what it reconciles (its
 * informers), read a stream and a BuildConfig fresh before writing; write status with update (always
 * with the resourceVersion it read, never a blind patch), never a spec that Git owns; start, admit,
 * annotate and prune PipelineRuns (get: a create whose answer was lost is read back); set workload
 * images by server-side apply (a patch: it never reads a workload but through its informer); report
 * with core Events (get and patch: a repeated Event is re-read to bump its count).
 * No wildcards, no Pods, and no Secrets but the pull secrets the namespace's streams name (see
 * pullSecretRules): it imports a tag as soon as it is created or changed.
 */
export const NAMESPACE_RULES: readonly PolicyRule[] = [
  { apiGroups: [API_GROUP], resources: ['imagestreams'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [API_GROUP], resources: ['imagestreams/status'], verbs: ['update'] },
  { apiGroups: [API_GROUP], resources: ['buildconfigs'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [API_GROUP], resources: ['buildconfigs/status'], verbs: ['update'] },
  // Its builds are owned by their BuildConfig with blockOwnerDeletion: clusters that run the
  // OwnerReferencesPermissionEnforcement admission plugin (OpenShift does) want this for that; it
  // allows no request of its own (BuildConfigs serve no finalizers subresource).
  { apiGroups: [API_GROUP], resources: ['buildconfigs/finalizers'], verbs: ['update'] },
  { apiGroups: ['tekton.dev'], resources: ['pipelineruns'], verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'] },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets'], verbs: ['list', 'watch', 'patch'] },
  { apiGroups: ['batch'], resources: ['cronjobs'], verbs: ['list', 'watch', 'patch'] },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'get', 'patch'] },
];

const STREAM_BRAND = Symbol.for('cdk8s-imagestreams.ImageStream');
const RECEIVER_BRAND = Symbol.for('cdk8s-imagestreams.RegistryReceiver');
const NOTIFIER_BRAND = Symbol.for('cdk8s-imagestreams.Notifier');
const BUILDCONFIG_BRAND = Symbol.for('cdk8s-imagestreams.BuildConfig');
type StreamLike = IConstruct & { readonly namespace: string; readonly pullSecretNames: readonly string[] };
type ReceiverLike = IConstruct & { readonly namespace: string; readonly secretName: string };
const isStream = (x: unknown): x is StreamLike => typeof x === 'object' && x !== null && STREAM_BRAND in x;
const isReceiver = (x: unknown): x is ReceiverLike => typeof x === 'object' && x !== null && RECEIVER_BRAND in x;
const isNotifier = (x: unknown): x is ReceiverLike => typeof x === 'object' && x !== null && NOTIFIER_BRAND in x;
type BuildConfigLike = IConstruct & { readonly namespace: string; readonly triggers: readonly { readonly type: string; readonly secret?: string }[] };
const isBuildConfig = (x: unknown): x is BuildConfigLike => typeof x === 'object' && x !== null && BUILDCONFIG_BRAND in x;
const WEBHOOK_TYPES = new Set(['GitHub', 'GitLab', 'Bitbucket', 'Generic']);

const GIT_WEBHOOKS = Symbol.for('cdk8s-imagestreams.gitWebhooks');

/** The System asked for OpenShift's webhook URL (controller option gitWebhooks): the listener runs without receivers too. */
export function enableGitWebhooks(root: IConstruct): void {
  Object.defineProperty(root, GIT_WEBHOOKS, { value: true, configurable: true });
}

/**
 * Whether the controller's listener runs (the app has RegistryReceivers, or the controller option
 * gitWebhooks is set), and so serves BuildConfig webhooks at OpenShift's URL, reading the Secrets they name.
 */
export function servesWebhooks(root: IConstruct): boolean {
  return receiversInTree(root).length > 0 || GIT_WEBHOOKS in root;
}

/** The app's Notifiers (by brand, as receivers). */
export function notifiersInTree(root: IConstruct): ReceiverLike[] {
  return [...memoized(root, 'notifiers', () => root.node.findAll().filter(isNotifier))];
}

/** The app's RegistryReceivers (found by brand: the system folder never imports the receiver's). */
export function receiversInTree(root: IConstruct): ReceiverLike[] {
  return [...memoized(root, 'receivers', () => root.node.findAll().filter(isReceiver))];
}

/**
 * `get` on exactly the Secrets the controller reads in `namespace` (never list or watch, never
 * another Secret): the pull secrets that the app's streams there name — it imports new and changed
 * tags with them, as the streams' own importers do — the Secrets of the receivers and notifiers
 * there, and, when its listener runs, the webhook Secrets of the app's BuildConfigs there (it checks
 * each delivery's secret against them). None when nothing there names one. The Secrets of
 * BuildConfigs applied as YAML can't be known here: their namespace grants them (README, "Git webhooks").
 */
export function pullSecretRules(root: IConstruct, namespace: string): PolicyRule[] {
  const names = new Set(secretNamesByNamespace(root).get(namespace));
  return names.size === 0 ? [] : [{ apiGroups: [''], resources: ['secrets'], resourceNames: [...names].sort(), verbs: ['get'] }];
}

/** The Secret names that streams, receivers and notifiers name, by namespace: one walk of the tree per app. */
function secretNamesByNamespace(root: IConstruct): ReadonlyMap<string, readonly string[]> {
  return memoized(root, 'secret-names-by-namespace', () => {
    const byNamespace = new Map<string, string[]>();
    const add = (namespace: string, names: readonly string[]) => {
      const list = byNamespace.get(namespace);
      if (list) list.push(...names);
      else byNamespace.set(namespace, [...names]);
    };
    const webhooks = servesWebhooks(root);
    for (const c of root.node.findAll()) {
      if (isStream(c)) add(c.namespace, c.pullSecretNames);
      else if (isReceiver(c) || isNotifier(c)) add(c.namespace, [c.secretName]);
      else if (webhooks && isBuildConfig(c)) add(c.namespace, c.triggers.flatMap((t) => (WEBHOOK_TYPES.has(t.type) && t.secret ? [t.secret] : [])));
    }
    return byNamespace;
  });
}

/**
 * With receivers or notifiers in the app, the controller caches RegistryReceivers or Notifiers in
 * every namespace it manages.
 */
export function receiverRules(root: IConstruct): PolicyRule[] {
  const resources = [...(receiversInTree(root).length ? [RECEIVER_PLURAL] : []), ...(notifiersInTree(root).length ? [NOTIFIER_PLURAL] : [])];
  return resources.length === 0 ? [] : [{ apiGroups: [API_GROUP], resources, verbs: ['list', 'watch'] }];
}

/** Leader election in the system namespace: `create` can't be limited by name (the object doesn't exist yet), the rest can. */
export const LEASE_RULES: readonly PolicyRule[] = [
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: [CONTROLLER_LEASE], verbs: ['get', 'update'] },
];

export interface RoleGrantProps {
  readonly name: string;
  readonly namespace: string;
  /** The rules, or a function that gives them when the Role is synthesized. */
  readonly rules: readonly PolicyRule[] | (() => readonly PolicyRule[]);
  /** The controller's ServiceAccount. */
  readonly serviceAccount: { readonly name: string; readonly namespace: string };
}

/** A Role and the RoleBinding that gives it to the controller's ServiceAccount, both named `name`. */
export class RoleGrant extends Construct {
  constructor(scope: Construct, id: string, props: RoleGrantProps) {
    super(scope, id);
    const metadata = { name: props.name, namespace: props.namespace, labels: { 'app.kubernetes.io/component': 'controller' } };
    new ApiObject(this, 'Role', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata,
      rules: typeof props.rules === 'function' ? Lazy.any({ produce: () => copies((props.rules as () => readonly PolicyRule[])()) }) : copies(props.rules),
    });
    new ApiObject(this, 'RoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: props.name },
      subjects: [{ kind: 'ServiceAccount', ...props.serviceAccount }],
    });
  }
}

function copies(rules: readonly PolicyRule[]): PolicyRule[] {
  return rules.map((rule) => ({ ...rule }));
}
