import { isPathComponent, isRegistryHost } from '../../../lib/api/image-reference';
import { isDnsSubdomain } from '../../../lib/api/names';

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
