import { hasTriggerAnnotation, OPENSHIFT_TRIGGERS_ANNOTATION, TRIGGERS_ANNOTATION } from '../../api/trigger-annotation';
import { LOCAL_LOOKUP_ANNOTATION, namesShortImage } from '../../api/local-lookup';
import type { WorkloadKind } from '../../api/workload-kinds';
import type { KubeObject } from '../kube/types';
import { sharedStrings as strings } from '../machinery/intern';

/** The field manager of the controller's image writes (server-side apply). */
export const FIELD_MANAGER = 'imagestreams-controller';

/** The status counters that say whether a rollout is done (lib/api/promotion.ts rolloutProblem). */
const ROLLOUT_STATUS = ['observedGeneration', 'replicas', 'updatedReplicas', 'availableReplicas', 'readyReplicas', 'desiredNumberScheduled', 'updatedNumberScheduled', 'numberAvailable'] as const;

type Transform = (object: KubeObject) => KubeObject;
const byKind = new Map<string, Transform>();

/**
 * What the controller keeps of a workload in its caches, for every reader at once (an informer is
 * shared, and its users' transforms run in turn, so each must keep what the others read):
 * - workload triggers: the trigger annotations, each container's name and image in order (a
 *   fieldPath may pick one by index), and the controller's own managedFields entry (the images it owns);
 * - promotions: metadata.generation, spec.replicas and the rollout counters of status;
 * - notifications: the trigger annotations and the images.
 * Everything else — the rest of the pod template, other annotations and labels, other managers'
 * managedFields, conditions — is dropped: a Deployment of a few KB keeps a few hundred bytes. A
 * workload without trigger annotations keeps only its identity (nothing reads it until it has one),
 * unless a container names an image by short name or the controller resolved one (local lookup,
 * lib/api/local-lookup.ts): those keep the same, and the controller's local-lookup record.
 */
export function cachedWorkload(kind: WorkloadKind): Transform {
  let transform = byKind.get(kind.kind);
  if (!transform) byKind.set(kind.kind, (transform = (object) => slim(kind, object)));
  return transform;
}

function slim(kind: WorkloadKind, object: KubeObject): KubeObject {
  const { name, namespace, uid, resourceVersion, generation, annotations, managedFields } = object.metadata as KubeObject['metadata'] & { generation?: number };
  const identity = { apiVersion: strings.intern(object.apiVersion), kind: strings.intern(object.kind) };
  const metadata = { name, namespace: strings.intern(namespace), uid, resourceVersion };
  if (!hasTriggerAnnotation(annotations) && annotations?.[LOCAL_LOOKUP_ANNOTATION] === undefined && !namesShortImage(object, kind.podSpecPath)) return { ...identity, metadata };
  const triggers: Record<string, string> = {};
  for (const key of [TRIGGERS_ANNOTATION, OPENSHIFT_TRIGGERS_ANNOTATION, LOCAL_LOOKUP_ANNOTATION]) if (annotations?.[key] !== undefined) triggers[key] = annotations[key];
  const owned = (managedFields as { manager?: string; operation?: string; fieldsV1?: unknown }[] | undefined)
    ?.filter((e) => e.manager === FIELD_MANAGER)
    .map((e) => ({ manager: FIELD_MANAGER, operation: strings.intern(e.operation), fieldsV1: e.fieldsV1 }));
  return {
    ...identity,
    metadata: { ...metadata, generation, annotations: triggers, ...(owned?.length ? { managedFields: owned } : {}) },
    ...podSpecAt(kind, object),
    ...rolloutStatus(object),
  };
}

/** `spec.replicas` and, along the kind's pod spec path, the containers' names and images. */
function podSpecAt(kind: WorkloadKind, object: KubeObject): { spec?: Record<string, unknown> } {
  let source: unknown = object;
  for (const field of kind.podSpecPath) source = (source as Record<string, unknown> | undefined)?.[field];
  const pod = source as { containers?: unknown; initContainers?: unknown } | undefined;
  let node: Record<string, unknown> = {};
  for (const list of ['containers', 'initContainers'] as const) if (Array.isArray(pod?.[list])) node[list] = (pod[list] as unknown[]).map(nameAndImage);
  for (const field of [...kind.podSpecPath].reverse()) node = { [field]: node };
  const replicas = (object.spec as { replicas?: number } | undefined)?.replicas;
  if (replicas !== undefined) (node.spec as Record<string, unknown>).replicas = replicas;
  return node as { spec?: Record<string, unknown> };
}

function nameAndImage(container: unknown): { name?: string; image?: string } {
  const { name, image } = (container ?? {}) as { name?: string; image?: string };
  return { name: strings.intern(name), image };
}

function rolloutStatus(object: KubeObject): { status?: Record<string, number> } {
  const status = object.status as Record<string, unknown> | undefined;
  if (!status) return {};
  const kept: Record<string, number> = {};
  for (const field of ROLLOUT_STATUS) if (typeof status[field] === 'number') kept[field] = status[field] as number;
  return { status: kept };
}
