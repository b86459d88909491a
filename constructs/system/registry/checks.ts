import { isPathComponent, isRegistryHost } from '../../../lib/api/image-reference';
import { isDnsSubdomain } from '../../../lib/api/names';
import { Cron, type Duration } from 'cdk8s';
import type { RegistryGarbageCollectionOptions } from './garbage-collection';
import { DEFAULT_STORAGE_WARNING_PERCENT } from '../../../lib/api/registry-maintenance';

/**
 * Validation of what users write in the registry options. Each error names the prop in quotes,
 * echoes the value and says what a good value looks like.
 */


/** The default --service-node-port-range of kube-apiserver. */
export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;

export function checkHost(prop: string, host: string): string {
  if (!isRegistryHost(host)) {
    throw new Error(`'${prop}' (${host}) must be a registry host with an optional port, like registry.example.com or registry.example.com:5000: no scheme, path or user`);
  }
  return host;
}

export function checkPathPrefix(prefix: string): string {
  if (!prefix.split('/').every(isPathComponent)) {
    throw new Error(`'pathPrefix' (${prefix}) must be repository path components separated by '/', each lowercase letters and digits joined by '.', '_', '__' or '-', like 'team' or 'org/team' (no leading or trailing '/')`);
  }
  return prefix;
}

export function checkNodePort(port: number): number {
  if (!Number.isInteger(port) || port < NODE_PORT_MIN || port > NODE_PORT_MAX) {
    throw new Error(`'nodePort' (${port}) must be an integer in ${NODE_PORT_MIN}-${NODE_PORT_MAX}, the default NodePort range of kube-apiserver (--service-node-port-range)`);
  }
  return port;
}

export function checkSecretName(prop: string, name: string): string {
  if (!isDnsSubdomain(name)) {
    throw new Error(`'${prop}' (${name}) must be the name of a Secret: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters`);
  }
  return name;
}

export function checkStorageClassName(name: string): string {
  if (!isDnsSubdomain(name)) {
    throw new Error(`'storageClassName' (${name}) must be the name of a StorageClass: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit`);
  }
  return name;
}

/** An image without a tag or digest would float to `latest`, and the registry's storage format with it. */
export function checkPinnedImage(image: string): string {
  const lastSegment = image.split('/').pop() ?? '';
  if (!lastSegment.includes(':') && !image.includes('@sha256:')) {
    throw new Error(`'image' (${image}) has no tag or digest: pin a version, e.g. docker.io/library/registry:2.8.3, or a digest`);
  }
  return image;
}

/** The GC's schedule and timeout as the CronJob takes them; refused without deletes, which is all it frees. */
export function checkGarbageCollection(options: RegistryGarbageCollectionOptions, allowDeletes: boolean, warnAt = DEFAULT_STORAGE_WARNING_PERCENT): { schedule: string; timeoutSeconds: number; warnAt: number } {
  if (!allowDeletes) {
    throw new Error("'garbageCollection' frees the blobs of manifests that 'imagestreams prune images --confirm' deleted, which needs 'allowDeletes: true': set it too, or drop 'garbageCollection'");
  }
  const timeoutSeconds = seconds(options.timeout);
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 60 || timeoutSeconds > 24 * 3600) {
    throw new Error(`'garbageCollection.timeout' (${timeoutSeconds}s) must be whole seconds from 1 minute to 24 hours, e.g. Duration.hours(1)`);
  }
  if (!Number.isInteger(warnAt) || warnAt < 1 || warnAt > 100) {
    throw new Error(`'storageWarningPercent' (${warnAt}) must be a whole percentage from 1 to 100, e.g. 80`);
  }
  return { schedule: (options.schedule ?? Cron.schedule({ minute: '30', hour: '3', weekDay: '0' })).expressionString, timeoutSeconds, warnAt };
}

function seconds(timeout: Duration | undefined): number {
  return timeout === undefined ? 3600 : timeout.toSeconds();
}
