/** Resolves a resource URL (/api/v1/..., /apis/{g}/{v}/...) to its resource, namespace, name and part. */
import { ResourceRegistry } from './registry';
import { ResourceType } from './types';

export interface ResourceRoute {
  type: ResourceType;
  version: string;
  /** The namespace in the URL; undefined for cluster-scoped paths and lists across namespaces. */
  namespace?: string;
  name?: string;
  subresource?: string;
}

export type Route = ResourceRoute | { notFound: true };

/** segments after the group-version prefix, e.g. ['namespaces', 'ns', 'pods', 'p', 'status'] */
export function resolveResource(registry: ResourceRegistry, group: string, version: string, segs: string[]): Route | undefined {
  const namespacedType = segs[0] === 'namespaces' && segs.length >= 3 ? registry.lookup(group, version, segs[2]) : undefined;
  if (namespacedType?.namespaced) {
    if (segs.length > 5) return { notFound: true };
    return { type: namespacedType, version, namespace: segs[1], name: segs[3], subresource: segs[4] };
  }
  const type = registry.lookup(group, version, segs[0]);
  if (!type || segs.length > 3) return type || segs.length > 0 ? { notFound: true } : undefined;
  if (type.namespaced && segs.length > 1) return { notFound: true };
  return { type, version, name: segs[1], subresource: segs[2] };
}

/** Splits a path into the group/version prefix and the rest; undefined when it is not an API path. */
export function splitApiPath(pathname: string): { group: string; version: string; rest: string[] } | undefined {
  const segs = pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
  if (segs[0] === 'api' && segs.length >= 2) return { group: '', version: segs[1], rest: segs.slice(2) };
  if (segs[0] === 'apis' && segs.length >= 3) return { group: segs[1], version: segs[2], rest: segs.slice(3) };
  return undefined;
}
