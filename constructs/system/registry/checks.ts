/**
 * Validation of what users write in the registry options. Each error names the prop in quotes,
 * echoes the value and says what a good value looks like.
 */

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
/** The distribution reference grammar's domain: a DNS name or a bracketed IPv6 address, optional port. */
const HOST_RE = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:.]+\\])(?::([0-9]{1,5}))?$`);
/** One path component of a repository name (distribution's grammar). */
export const PATH_COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DNS_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The default --service-node-port-range of kube-apiserver. */
export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;

export function checkHost(prop: string, host: string): string {
  const m = HOST_RE.exec(host);
  const port = m?.[1] === undefined ? undefined : Number(m[1]);
  if (!m || (port !== undefined && (port < 1 || port > 65535))) {
    throw new Error(`'${prop}' (${host}) must be a registry host with an optional port, like registry.example.com or registry.example.com:5000: no scheme, path or user`);
  }
  return host;
}

export function checkPathPrefix(prefix: string): string {
  if (!prefix.split('/').every((c) => PATH_COMPONENT_RE.test(c))) {
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
  if (name.length > 253 || !DNS_SUBDOMAIN_RE.test(name)) {
    throw new Error(`'${prop}' (${name}) must be the name of a Secret: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters`);
  }
  return name;
}

export function checkStorageClassName(name: string): string {
  if (name.length > 253 || !DNS_SUBDOMAIN_RE.test(name)) {
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
