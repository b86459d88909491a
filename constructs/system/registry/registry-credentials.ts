import type { RuntimeVolume } from '../runtime-config-maps';
import { createHash } from 'node:crypto';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { SYSTEM_LABELS } from '../../../lib/api/group';
import { RESTRICTED_CONTAINER_SECURITY, RESTRICTED_POD_SECURITY, RUNTIME_MOUNT_PATH } from '../pod-security';
import { RUNTIME_FILE } from '../runtime-bundle';
import { IN_CLUSTER_REGISTRY_NAMES } from './in-cluster-names';

export interface RegistryCredentialsProps {
  /** The System's namespace: the registry, its auth Secret and this Job. */
  readonly namespace: string;
  /** The runtime image (stock Node.js) and its ConfigMap in `namespace`. */
  readonly image: string;
  readonly runtimeVolume: RuntimeVolume;
  /** Every address the registry is reached at: the dockerconfigjson Secrets hold credentials for each. */
  readonly hosts: readonly string[];
  /** The namespaces that need the dockerconfigjson Secret, once the app's tree is complete. */
  readonly namespaces: () => readonly string[];
}

const COMPONENT = 'registry-credentials';
const LABELS = { ...SYSTEM_LABELS, 'app.kubernetes.io/component': COMPONENT };
const SELECTOR = { 'app.kubernetes.io/name': SYSTEM_LABELS['app.kubernetes.io/name'], 'app.kubernetes.io/component': COMPONENT };

/**
 * Makes the in-cluster registry's credentials at install time, so that no manifest holds them: a
 * Job running the runtime's `registry-credentials` command (the stock Node image, as every pod of
 * the System) creates the auth Secret with a random password and its htpasswd file if it is
 * missing, and a kubernetes.io/dockerconfigjson Secret with it in every namespace that builds to the
 * registry or pulls from it. Its ServiceAccount may read and update those Secrets by name, and
 * create Secrets (Kubernetes can't limit `create` to a name) — only where they are needed.
 *
 * The Job is named after a hash of what it does: a changed namespace list or runtime is a new Job
 * (a Job's pod template can't be changed), and re-running one changes nothing that is right.
 * Emitted while cdk8s validates the tree: the namespaces are known only then.
 */
export class RegistryCredentials extends Construct {
  private emitted = false;

  constructor(scope: Construct, id: string, private readonly props: RegistryCredentialsProps) {
    super(scope, id);
    new ApiObject(this, 'ServiceAccount', {
      apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: IN_CLUSTER_REGISTRY_NAMES.credentialsJob, namespace: props.namespace, labels: { ...LABELS } },
    });
    this.node.addValidation({ validate: () => (this.emit(), []) });
  }

  private emit(): void {
    if (this.emitted) return;
    this.emitted = true;
    const names = IN_CLUSTER_REGISTRY_NAMES;
    const namespaces = [...new Set(this.props.namespaces())].sort();
    for (const namespace of new Set([this.props.namespace, ...namespaces])) {
      const secrets = [
        ...(namespace === this.props.namespace ? [{ resourceNames: [names.authSecret], verbs: ['get'] }] : []),
        ...(namespaces.includes(namespace) ? [{ resourceNames: [names.credentialsSecret], verbs: ['get', 'update'] }] : []),
      ];
      this.grant(namespace, [{ apiGroups: [''], resources: ['secrets'], verbs: ['create'] }, ...secrets.map((r) => ({ apiGroups: [''], resources: ['secrets'], ...r }))]);
    }
    this.job(namespaces);
  }

  private grant(namespace: string, rules: object[]): void {
    const metadata = { name: IN_CLUSTER_REGISTRY_NAMES.credentialsJob, namespace, labels: { ...LABELS } };
    new ApiObject(this, `Role-${namespace}`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata, rules });
    new ApiObject(this, `RoleBinding-${namespace}`, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: metadata.name },
      subjects: [{ kind: 'ServiceAccount', name: IN_CLUSTER_REGISTRY_NAMES.credentialsJob, namespace: this.props.namespace }],
    });
  }

  private job(namespaces: readonly string[]): void {
    const { namespace, image, runtimeVolume, hosts } = this.props;
    const names = IN_CLUSTER_REGISTRY_NAMES;
    const command = [
      'node', `${RUNTIME_MOUNT_PATH}/${RUNTIME_FILE}`, 'registry-credentials',
      '--namespace', namespace, '--auth-secret', names.authSecret, '--docker-config-secret', names.credentialsSecret,
      '--hosts', [...new Set(hosts)].sort().join(','), '--namespaces', namespaces.join(','),
      ...Object.entries(LABELS).flatMap(([key, value]) => ['--label', `${key}=${value}`]),
    ];
    const spec = {
      serviceAccountName: names.credentialsJob,
      // The one pod of the System's registry that calls the API: it writes the Secrets.
      automountServiceAccountToken: true,
      restartPolicy: 'Never',
      enableServiceLinks: false,
      securityContext: RESTRICTED_POD_SECURITY,
      containers: [{
        name: 'credentials',
        image,
        command,
        securityContext: RESTRICTED_CONTAINER_SECURITY,
        resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
        volumeMounts: [{ name: 'runtime', mountPath: RUNTIME_MOUNT_PATH, readOnly: true }],
      }],
      volumes: [runtimeVolume],
    };
    const hash = createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 8);
    new ApiObject(this, 'Job', {
      apiVersion: 'batch/v1', kind: 'Job',
      metadata: { name: `${names.credentialsJob}-${hash}`, namespace, labels: { ...LABELS } },
      spec: { backoffLimit: 6, activeDeadlineSeconds: 600, template: { metadata: { labels: { ...SELECTOR } }, spec } },
    });
  }
}
