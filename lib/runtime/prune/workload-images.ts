import type { KubeObject } from '../../api/kube-object';
import { WORKLOAD_KINDS } from '../../api/workload-kinds';
import type { KubeClient } from '../kube/client';

/** An image a workload runs or will run, and who names it (`Deployment team/web`). */
export interface WorkloadImage {
  readonly image: string;
  readonly owner: string;
}

interface PodSpecLike {
  readonly containers?: readonly { readonly image?: string }[];
  readonly initContainers?: readonly { readonly image?: string }[];
  readonly ephemeralContainers?: readonly { readonly image?: string }[];
}

/**
 * What prune must not take from under a workload: besides the kinds image triggers follow, the
 * ReplicaSets a Deployment rolls back to and the Jobs a CronJob started.
 */
const KINDS = [
  ...WORKLOAD_KINDS.map((k) => ({ kind: k.kind as string, apiVersion: k.apiVersion, resource: k.resource, podSpecPath: k.podSpecPath })),
  { kind: 'ReplicaSet', apiVersion: 'apps/v1', resource: 'replicasets', podSpecPath: ['spec', 'template', 'spec'] },
  { kind: 'Job', apiVersion: 'batch/v1', resource: 'jobs', podSpecPath: ['spec', 'template', 'spec'] },
  { kind: 'Pod', apiVersion: 'v1', resource: 'pods', podSpecPath: ['spec'] },
];

/**
 * Every image named by the workloads of every namespace (a pod that has finished, Succeeded or
 * Failed, runs nothing and is left out). Any error (a kind the user may not list) fails the whole
 * call: a prune that can't see every workload must not delete anything.
 */
export async function workloadImages(kube: KubeClient): Promise<WorkloadImage[]> {
  const found: WorkloadImage[] = [];
  for (const kind of KINDS) {
    const { items } = await kube.resource({ apiVersion: kind.apiVersion, resource: kind.resource }).listAll();
    for (const object of items) {
      if (kind.kind === 'Pod' && isFinished(object)) continue;
      const spec = at(object, kind.podSpecPath) as PodSpecLike | undefined;
      const owner = `${kind.kind} ${object.metadata.namespace}/${object.metadata.name}`;
      for (const image of imagesOf(spec)) found.push({ image, owner });
    }
  }
  return found;
}

function imagesOf(spec: PodSpecLike | undefined): string[] {
  const all = [...(spec?.containers ?? []), ...(spec?.initContainers ?? []), ...(spec?.ephemeralContainers ?? [])];
  return all.flatMap((c) => (typeof c.image === 'string' ? [c.image] : []));
}

function isFinished(pod: KubeObject): boolean {
  const phase = (pod as { status?: { phase?: string } }).status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

function at(object: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), object);
}
