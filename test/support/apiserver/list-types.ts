/**
 * How lists merge (strategic merge patch, server-side apply): from a CRD schema's
 * x-kubernetes-list-type / x-kubernetes-list-map-keys, or for built-ins from the
 * patchMergeKey / listType markers of the upstream Go types (the lists our tools touch).
 */
import { JsonObject, ListType } from './types';

const BUILTIN_MAP_LISTS: Record<string, string[]> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  volumes: ['name'],
  volumeMounts: ['mountPath'],
  imagePullSecrets: ['name'],
  conditions: ['type'],
  ownerReferences: ['uid'],
  ports: ['containerPort', 'protocol'],
  hostAliases: ['ip'],
};

const BUILTIN_SETS = new Set(['finalizers']);

/** List semantics for a built-in's field, given the path of field names leading to it. */
export function builtinListType(path: readonly string[]): ListType {
  const field = path[path.length - 1];
  if (BUILTIN_SETS.has(field)) return { type: 'set' };
  // A Service's ports are keyed by port, a container's by containerPort.
  if (field === 'ports' && path.length === 2 && path[0] === 'spec') return { type: 'map', keys: ['port', 'protocol'] };
  const keys = BUILTIN_MAP_LISTS[field];
  return keys ? { type: 'map', keys } : { type: 'atomic' };
}

/** The sub-schema at a path of field names (array items are stepped through implicitly). */
export function schemaAt(schema: JsonObject | undefined, path: readonly string[]): JsonObject | undefined {
  let node = schema;
  for (const field of path) {
    if (!node) return undefined;
    if (node.type === 'array') node = node.items as JsonObject | undefined;
    const props = node?.properties as Record<string, JsonObject> | undefined;
    const additional = node?.additionalProperties;
    node = props?.[field] ?? (typeof additional === 'object' && additional !== null && !Array.isArray(additional) ? (additional as JsonObject) : undefined);
  }
  return node;
}

export function schemaListType(schema: JsonObject | undefined): ListType {
  const listType = schema?.['x-kubernetes-list-type'];
  if (listType === 'set') return { type: 'set' };
  if (listType === 'map') return { type: 'map', keys: (schema?.['x-kubernetes-list-map-keys'] as string[]) ?? [] };
  return { type: 'atomic' };
}

/** Metadata lists behave the same everywhere. */
export function listTypeFor(schema: JsonObject | undefined, path: readonly string[]): ListType {
  if (path[0] === 'metadata' || !schema) return builtinListType(path);
  return schemaListType(schemaAt(schema, path));
}
