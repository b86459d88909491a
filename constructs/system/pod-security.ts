/** The container-level settings Pod Security "restricted" asks of our own pods. */
export const RESTRICTED_CONTAINER_SECURITY = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
} as const;

/** Pod-level settings for "restricted": non-root (the `node` user of the stock Node images), RuntimeDefault seccomp. */
export const RESTRICTED_POD_SECURITY = {
  runAsNonRoot: true,
  runAsUser: 1000,
  runAsGroup: 1000,
  seccompProfile: { type: 'RuntimeDefault' },
} as const;

/** Where pods mount the runtime ConfigMap, and the command that runs the runtime script. */
export const RUNTIME_MOUNT_PATH = '/opt/imagestreams';
/** The name of the runtime's volume in our pods. */
export const RUNTIME_VOLUME = 'runtime';
