/**
 * A minimal OpenAPI v3 for kubectl: per group-version, one PATCH operation per kind that declares
 * the `fieldValidation` query parameter, so kubectl validates server-side (and needs no v2 schema).
 * No schemas and no patch content types: kubectl then builds strategic merge patches from its
 * compiled-in types, as it does against real clusters for unknown schemas.
 */
import { createHash } from 'node:crypto';
import { ResourceRegistry } from './registry';
import { ResourceType } from './types';

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function itemPath(t: ResourceType, group: string, version: string): string {
  const base = `/${gvPath(group, version)}`;
  return t.namespaced ? `${base}/namespaces/{namespace}/${t.plural}/{name}` : `${base}/${t.plural}/{name}`;
}

export function openApiGroupVersion(registry: ResourceRegistry, group: string, version: string): object | undefined {
  const types = registry.inGroupVersion(group, version);
  if (types.length === 0) return undefined;
  const paths: Record<string, object> = {};
  for (const t of types) {
    paths[itemPath(t, group, version)] = {
      patch: {
        operationId: `patch${t.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group, version, kind: t.kind },
        parameters: [
          { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } },
        ],
        responses: { '200': { description: 'OK' } },
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas: {} } };
}

/** The /openapi/v3 index; the hash changes when the group-version's resources change. */
export function openApiRoot(registry: ResourceRegistry): object {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [group, versions] of registry.groups()) {
    for (const version of versions) {
      const doc = JSON.stringify(openApiGroupVersion(registry, group, version));
      const hash = createHash('sha256').update(doc).digest('hex').slice(0, 32).toUpperCase();
      paths[gvPath(group, version)] = { serverRelativeURL: `/openapi/v3/${gvPath(group, version)}?hash=${hash}` };
    }
  }
  return { paths };
}
