/**
 * The API group, versions and kinds of this project's custom resources, and the resources the
 * controller, the importer and the CLI talk to. The only place any of them is spelled.
 */
export const API_GROUP = 'imagestreams.dev';
export const API_VERSION = 'v1alpha1';
export const GROUP_VERSION = `${API_GROUP}/${API_VERSION}`;

export const IMAGESTREAM_KIND = 'ImageStream';
export const IMAGESTREAM_PLURAL = 'imagestreams';
export const BUILDCONFIG_KIND = 'BuildConfig';
export const BUILDCONFIG_PLURAL = 'buildconfigs';
export const RECEIVER_KIND = 'RegistryReceiver';
export const RECEIVER_PLURAL = 'registryreceivers';
export const NOTIFIER_KIND = 'Notifier';
export const NOTIFIER_PLURAL = 'notifiers';

/** Tekton Pipelines' API, which runs the builds. */
export const TEKTON_API_VERSION = 'tekton.dev/v1';

/** A resource as the Kubernetes client addresses it (`apiVersion` + plural). */
export interface ApiResource {
  readonly apiVersion: string;
  readonly resource: string;
}

export const IMAGESTREAMS: ApiResource = { apiVersion: GROUP_VERSION, resource: IMAGESTREAM_PLURAL };
export const BUILDCONFIGS: ApiResource = { apiVersion: GROUP_VERSION, resource: BUILDCONFIG_PLURAL };
export const RECEIVERS: ApiResource = { apiVersion: GROUP_VERSION, resource: RECEIVER_PLURAL };
export const NOTIFIERS: ApiResource = { apiVersion: GROUP_VERSION, resource: NOTIFIER_PLURAL };
export const PIPELINERUNS: ApiResource = { apiVersion: TEKTON_API_VERSION, resource: 'pipelineruns' };
export const TASKRUNS: ApiResource = { apiVersion: TEKTON_API_VERSION, resource: 'taskruns' };

/** Labels on every object the System installs, as the Kubernetes recommended labels say. */
export const SYSTEM_LABELS = {
  'app.kubernetes.io/name': 'imagestreams',
  'app.kubernetes.io/part-of': 'cdk8s-imagestreams',
} as const;
