import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct, type IConstruct } from 'constructs';
import { register, registered } from '../../_app-index';
import { SYSTEM_LABELS } from '../../../lib/api/group';

const ACCESS_BRAND = Symbol.for('cdk8s-imagestreams.WebhookListenerAccess');
/** The ServiceAccount the namespace's EventListeners run as. */
export const LISTENER_SERVICE_ACCOUNT = 'imagestreams-webhooks';
/**
 * The ClusterRoles Tekton Triggers installs for EventListeners: the namespaced one (read Triggers
 * objects, create PipelineRuns, Events) and the cluster one (read ClusterInterceptors and
 * ClusterTriggerBindings, which the github/gitlab/bitbucket/cel interceptors are).
 * @see https://tekton.dev/docs/triggers/eventlisteners/#specifying-a-kubernetes-service-account
 */
export const LISTENER_ROLE = 'tekton-triggers-eventlistener-roles';
export const LISTENER_CLUSTER_ROLE = 'tekton-triggers-eventlistener-clusterroles';

const rbac = 'rbac.authorization.k8s.io/v1';

/**
 * The ServiceAccount of one namespace's EventListeners and its two bindings to Tekton's documented
 * roles; none of our own rules. Found through the root, emitted once per namespace.
 */
export class WebhookListenerAccess extends Construct {
  static in(scope: IConstruct, namespace: string): WebhookListenerAccess {
    const existing = registered(scope, 'WebhookListenerAccess', (c): c is WebhookListenerAccess => ACCESS_BRAND in c)
      .find((c) => c.namespace === namespace);
    return existing ?? new WebhookListenerAccess(Chart.of(scope), `imagestreams-webhooks-${namespace}`, namespace);
  }

  readonly serviceAccountName = LISTENER_SERVICE_ACCOUNT;

  private constructor(scope: Construct, id: string, readonly namespace: string) {
    super(scope, id);
    Object.defineProperty(this, ACCESS_BRAND, { value: true });
    register(this, 'WebhookListenerAccess');
    const labels = { ...SYSTEM_LABELS };
    const subjects = [{ kind: 'ServiceAccount', name: LISTENER_SERVICE_ACCOUNT, namespace }];
    new ApiObject(this, 'ServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: LISTENER_SERVICE_ACCOUNT, namespace, labels } });
    new ApiObject(this, 'RoleBinding', {
      apiVersion: rbac, kind: 'RoleBinding', metadata: { name: LISTENER_SERVICE_ACCOUNT, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: LISTENER_ROLE }, subjects,
    });
    // Cluster-scoped, so named after the namespace, and without the chart's namespace.
    const clusterBinding = new ApiObject(this, 'ClusterRoleBinding', {
      apiVersion: rbac, kind: 'ClusterRoleBinding', metadata: { name: `${LISTENER_SERVICE_ACCOUNT}-${namespace}`, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: LISTENER_CLUSTER_ROLE }, subjects,
    });
    if (Chart.of(this).namespace) clusterBinding.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
}
