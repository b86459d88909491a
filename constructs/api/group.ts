/** The API group and version of this project's custom resources. */
export const API_GROUP = 'imagestreams.dev';
export const API_VERSION = 'v1alpha1';
export const GROUP_VERSION = `${API_GROUP}/${API_VERSION}`;

/** Labels on every object the System installs, as the Kubernetes recommended labels say. */
export const SYSTEM_LABELS = {
  'app.kubernetes.io/name': 'imagestreams',
  'app.kubernetes.io/part-of': 'cdk8s-imagestreams',
} as const;
