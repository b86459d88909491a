import type { WorkloadKind } from './workload-kinds';

export type ContainerList = 'containers' | 'initContainers';

/** The container image a trigger sets: by name, or by position in the list. */
export type ContainerSelector =
  | { readonly list: ContainerList; readonly name: string }
  | { readonly list: ContainerList; readonly index: number };

/**
 * Parses `<podSpec>.containers[?(@.name=="web")].image` (single quotes too) or
 * `<podSpec>.initContainers[0].image`, where <podSpec> is the kind's pod spec path
 * (`spec.template.spec`, or `spec.jobTemplate.spec.template.spec` for CronJobs).
 * Returns the selector, or why the path is not one we can set.
 */
export function parseFieldPath(fieldPath: string, kind: WorkloadKind): ContainerSelector | string {
  const prefix = `${kind.podSpecPath.join('.')}.`;
  if (!fieldPath.startsWith(prefix)) return `fieldPath '${fieldPath}' must start with '${prefix}' for a ${kind.kind}`;
  const m = /^(containers|initContainers)\[(?:(\d+)|\?\(@\.name==(?:"([^"]+)"|'([^']+)')\))\]\.image$/.exec(fieldPath.slice(prefix.length));
  if (!m) return `fieldPath '${fieldPath}' must name a container's image, e.g. '${prefix}containers[?(@.name=="web")].image' or '${prefix}containers[0].image'`;
  const list = m[1] as ContainerList;
  return m[2] !== undefined ? { list, index: Number(m[2]) } : { list, name: m[3] ?? m[4] };
}

/** The image field of a container in `kind`'s pod spec, as triggers name it (parseFieldPath reads it back). */
export function containerImageFieldPath(kind: WorkloadKind, container: string, init = false): string {
  return `${kind.podSpecPath.join('.')}.${init ? 'initContainers' : 'containers'}[?(@.name==${JSON.stringify(container)})].image`;
}
