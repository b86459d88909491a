import type { KubeObject } from '../../kube/types';
import type { ContainerList } from '../../../api/field-path';
import type { WorkloadKind } from '../../../api/workload-kinds';

import { FIELD_MANAGER } from '../../caches/cached-workload';

export { FIELD_MANAGER };

/** `containers/web` → image. */
export type ImageFields = Map<string, string>;

export const fieldKey = (list: ContainerList, name: string) => `${list}/${name}`;

interface Container {
  name?: string;
  image?: string;
}

/** The pod spec of a workload, or undefined when the object has none (yet). */
export function podSpecOf(object: KubeObject, kind: WorkloadKind): Record<string, unknown> | undefined {
  let node: unknown = object;
  for (const field of kind.podSpecPath) node = (node as Record<string, unknown> | undefined)?.[field];
  return typeof node === 'object' && node !== null ? (node as Record<string, unknown>) : undefined;
}

export function containersOf(podSpec: Record<string, unknown> | undefined, list: ContainerList): Container[] {
  const containers = podSpec?.[list];
  return Array.isArray(containers) ? (containers as Container[]) : [];
}

/**
 * The container images this manager owns, from the object's managedFields. They must be in every
 * apply: server-side apply removes a field that its only manager stops applying.
 */
export function ownedImageFields(object: KubeObject, kind: WorkloadKind): Set<string> {
  const owned = new Set<string>();
  const entries = (object.metadata.managedFields ?? []) as { manager?: string; operation?: string; fieldsV1?: Record<string, unknown> }[];
  for (const entry of entries) {
    if (entry.manager !== FIELD_MANAGER || entry.operation !== 'Apply') continue;
    let node: Record<string, unknown> | undefined = entry.fieldsV1;
    for (const field of kind.podSpecPath) node = node?.[`f:${field}`] as Record<string, unknown> | undefined;
    for (const list of ['containers', 'initContainers'] as const) {
      for (const [k, v] of Object.entries((node?.[`f:${list}`] ?? {}) as Record<string, Record<string, unknown>>)) {
        const name = k.startsWith('k:') ? (JSON.parse(k.slice(2)) as { name?: string }).name : undefined;
        if (name && v && 'f:image' in v) owned.add(fieldKey(list, name));
      }
    }
  }
  return owned;
}

/**
 * The smallest object that sets exactly these images: identity, and along the pod spec path only
 * the containers (an associative list keyed by name, so apply merges into it) with name and image.
 * metadata.resourceVersion makes the write fail with 409 if the object changed since it was read.
 * `annotations`: the controller's own (its local-lookup record), applied with the images.
 */
export function imageApplyConfig(object: KubeObject, kind: WorkloadKind, images: ImageFields, annotations?: Record<string, string>): KubeObject {
  const podSpec: Record<string, Container[]> = {};
  for (const [key, image] of images) {
    const [list, name] = key.split('/', 2) as [ContainerList, string];
    (podSpec[list] ??= []).push({ name, image });
  }
  let node: Record<string, unknown> = podSpec;
  for (const field of [...kind.podSpecPath].reverse()) node = { [field]: node };
  const { name, namespace, resourceVersion } = object.metadata;
  return { apiVersion: kind.apiVersion, kind: kind.kind, metadata: { name, namespace, resourceVersion, ...(annotations ? { annotations } : {}) }, ...(node as { spec: unknown }) };
}
