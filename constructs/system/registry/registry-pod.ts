import { REGISTRY_AUTH_KEYS } from '../../../lib/api/registry-credentials';
import { REGISTRY_CONTAINER } from '../../../lib/api/registry-maintenance';
import { REGISTRY_AUTH_PATH, REGISTRY_PORT, REGISTRY_SELECTOR, REGISTRY_STORAGE_PATH } from './in-cluster-names';
import type { ResourceRequirements } from './quantities';

/**
 * Any non-root uid works: the registry needs no user of its own, only a writable storage root,
 * which `fsGroup` gives it on the volume. Pod Security "restricted" requires runAsNonRoot.
 */
export const REGISTRY_USER_ID = 1000;

export const DEFAULT_REGISTRY_RESOURCES: ResourceRequirements = Object.freeze({
  requests: { cpu: '50m', memory: '64Mi' },
  limits: { cpu: '1', memory: '512Mi' },
});

/** What the registry's configuration depends on. */
export interface RegistryConfigOptions {
  /** The Secret with the htpasswd file (key `htpasswd`). */
  readonly authSecret: string;
  /** The registry API may delete manifests. */
  readonly allowDeletes: boolean;
}

/**
 * The registry's configuration: the image's built-in config file plus these overrides
 * (distribution maps REGISTRY_<SECTION>_<KEY> onto the config), so nothing else needs mounting.
 * Every request needs the credentials of the htpasswd file (anonymous ones get 401); deletes are
 * refused (405) unless allowed.
 */
export function registryEnv(options: Pick<RegistryConfigOptions, 'allowDeletes'>): Array<{ name: string; value: string }> {
  return [
    { name: 'REGISTRY_HTTP_ADDR', value: `:${REGISTRY_PORT}` },
    { name: 'REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY', value: REGISTRY_STORAGE_PATH },
    { name: 'REGISTRY_AUTH_HTPASSWD_REALM', value: 'imagestreams-registry' },
    { name: 'REGISTRY_AUTH_HTPASSWD_PATH', value: `${REGISTRY_AUTH_PATH}/${REGISTRY_AUTH_KEYS.htpasswd}` },
    // Deleting a manifest over the API only unlinks it; its blobs still need an offline garbage-collect.
    { name: 'REGISTRY_STORAGE_DELETE_ENABLED', value: String(options.allowDeletes) },
  ];
}

export interface RegistryPodOptions extends RegistryConfigOptions {
  readonly image: string;
  readonly claimName: string;
  readonly resources: ResourceRequirements;
}

export function registryPodTemplate(options: RegistryPodOptions): object {
  return {
    metadata: { labels: { ...REGISTRY_SELECTOR } },
    spec: {
      // The registry never calls the Kubernetes API.
      automountServiceAccountToken: false,
      // Service links add <SERVICE>_PORT variables: a Service named `registry-storage` in this namespace
      // would give REGISTRY_STORAGE_PORT, which distribution reads as config and refuses to start.
      enableServiceLinks: false,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: REGISTRY_USER_ID,
        runAsGroup: REGISTRY_USER_ID,
        fsGroup: REGISTRY_USER_ID,
        fsGroupChangePolicy: 'OnRootMismatch',
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [registryContainer(options)],
      volumes: [
        { name: 'storage', persistentVolumeClaim: { claimName: options.claimName } },
        // Made by the credentials Job: the pod waits (ContainerCreating) until it exists.
        { name: 'auth', secret: { secretName: options.authSecret, items: [{ key: REGISTRY_AUTH_KEYS.htpasswd, path: REGISTRY_AUTH_KEYS.htpasswd }], defaultMode: 0o440 } },
        // The root filesystem is read-only; anything the registry writes outside its storage goes here.
        { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
      ],
    },
  };
}

function registryContainer(options: RegistryPodOptions): object {
  return {
    // The registry-gc command finds it by this name (lib/api/registry-maintenance.ts).
    name: REGISTRY_CONTAINER,
    image: options.image,
    imagePullPolicy: 'IfNotPresent',
    ports: [{ name: 'http', containerPort: REGISTRY_PORT, protocol: 'TCP' }],
    env: registryEnv(options),
    resources: options.resources,
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    // /v2/ answers 401 to a probe without credentials: the port accepting connections is what is checked.
    readinessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
    livenessProbe: { tcpSocket: { port: 'http' }, initialDelaySeconds: 10, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
    volumeMounts: [
      { name: 'storage', mountPath: REGISTRY_STORAGE_PATH },
      { name: 'auth', mountPath: REGISTRY_AUTH_PATH, readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
    ],
  };
}
