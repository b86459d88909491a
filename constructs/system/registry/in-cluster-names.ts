import { SYSTEM_LABELS } from '../../../lib/api/group';
import { REGISTRY_STORAGE_ROOT } from '../../../lib/api/registry-maintenance';

/**
 * The names of the in-cluster registry's objects, in the System's namespace. They are public API
 * (NetworkPolicies, firewall rules and runbooks name them): never change them.
 */
export const IN_CLUSTER_REGISTRY_NAMES = Object.freeze({
  /** The Deployment running the registry, and its container's name is `registry`. */
  deployment: 'imagestreams-registry',
  /** The PersistentVolumeClaim holding the layers. */
  persistentVolumeClaim: 'imagestreams-registry-storage',
  /** The ClusterIP Service build pods push to: `imagestreams-registry.<namespace>.svc:5000`. */
  service: 'imagestreams-registry',
  /** The NodePort Service nodes pull through, `localhost:<nodePort>`, when `nodePort` is set. */
  nodePortService: 'imagestreams-registry-nodeport',
  /** The Secret (Opaque) with the registry's htpasswd file, user name and password: made in the cluster, never in a manifest. */
  authSecret: 'imagestreams-registry-auth',
  /**
   * The kubernetes.io/dockerconfigjson Secret with those credentials, in each namespace whose builds
   * push or pull and whose workloads pull: build workspaces and `imagePullSecrets` name it.
   */
  credentialsSecret: 'imagestreams-registry',
  /** The ServiceAccount, Roles and (with a content hash appended) the Job that make those Secrets. */
  credentialsJob: 'imagestreams-registry-credentials',
  /** The CronJob (with its ServiceAccount, Role and RoleBinding) that runs the registry's garbage collection, when enabled. */
  garbageCollection: 'imagestreams-registry-gc',
});

/** The port the registry listens on, in the pod and on the ClusterIP Service. */
export const REGISTRY_PORT = 5000;
/** Where the PersistentVolumeClaim is mounted: the image's own default storage root. */
export const REGISTRY_STORAGE_PATH = REGISTRY_STORAGE_ROOT;
/** Where the htpasswd file of the auth Secret is mounted. */
export const REGISTRY_AUTH_PATH = '/etc/imagestreams-registry';

/** Pod labels and Service selector: unique among the System's workloads through `component`. */
export const REGISTRY_SELECTOR = Object.freeze({
  'app.kubernetes.io/name': SYSTEM_LABELS['app.kubernetes.io/name'],
  'app.kubernetes.io/component': 'registry',
});

/** The DNS name and port build pods push to, resolvable inside the cluster only. */
export function inClusterPushHost(namespace: string): string {
  return `${IN_CLUSTER_REGISTRY_NAMES.service}.${namespace}.svc:${REGISTRY_PORT}`;
}
