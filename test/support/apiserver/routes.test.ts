import { describe, expect, it } from 'vitest';
import { ResourceRegistry } from './registry';
import { resolveResource, splitApiPath } from './routes';

const registry = new ResourceRegistry();
const resolve = (path: string): unknown => {
  const api = splitApiPath(path);
  if (!api) return undefined;
  const r = resolveResource(registry, api.group, api.version, api.rest);
  return r && ('notFound' in r ? 'notFound' : { plural: r.type.plural, namespace: r.namespace, name: r.name, subresource: r.subresource });
};

describe('resolveResource', () => {
  it('resolves namespaced items and their status', () => {
    expect(resolve('/apis/apps/v1/namespaces/ns/deployments/d/status')).toEqual({ plural: 'deployments', namespace: 'ns', name: 'd', subresource: 'status' });
  });

  it('resolves lists across all namespaces', () => {
    expect(resolve('/apis/apps/v1/deployments')).toEqual({ plural: 'deployments', namespace: undefined, name: undefined, subresource: undefined });
  });

  it('tells the namespace object apart from a namespaced path', () => {
    expect(resolve('/api/v1/namespaces/ns')).toEqual({ plural: 'namespaces', namespace: undefined, name: 'ns', subresource: undefined });
    expect(resolve('/api/v1/namespaces/ns/status')).toEqual({ plural: 'namespaces', namespace: undefined, name: 'ns', subresource: 'status' });
  });

  it('rejects a namespaced kind addressed without a namespace, and unknown kinds', () => {
    expect(resolve('/apis/apps/v1/deployments/d')).toBe('notFound');
    expect(resolve('/apis/apps/v1/widgets')).toBe('notFound');
  });

  it('is not an API path outside /api and /apis', () => {
    expect(splitApiPath('/healthz')).toBeUndefined();
  });
});
