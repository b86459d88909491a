import type { KubeObject } from '../../kube/types';
import { containersOf, fieldKey, podSpecOf, type ImageFields } from './apply-config';
import { parseFieldPath } from '../../../api/field-path';
import { resolveTag, type StreamLookup } from './resolve-tag';
import { parseTriggerAnnotations } from '../../../api/trigger-annotation';
import type { WorkloadKind } from '../../../api/workload-kinds';

export interface TriggerProblem {
  /** The Event reason: InvalidTrigger, ContainerNotFound, StreamNotFound or AliasCycle. */
  readonly reason: string;
  readonly message: string;
}

export interface ImagePlan {
  /** What each triggered container's image should be (`containers/web` → `repo@sha256:…`). */
  readonly images: ImageFields;
  readonly problems: readonly TriggerProblem[];
  /** Triggers whose tag has no image yet (reason WaitingForImage), each naming the tag and, when its import failed, why. */
  readonly waiting: readonly TriggerProblem[];
}

/**
 * What the workload's triggers say its images should be, from its annotations and the cached
 * streams. Each trigger stands alone: a bad one is reported and the others still apply. Paused
 * triggers contribute nothing; tags without an image yet are listed as waiting.
 */
export function planImages(object: KubeObject, kind: WorkloadKind, lookup: StreamLookup): ImagePlan {
  const namespace = object.metadata.namespace ?? 'default';
  const { triggers, errors } = parseTriggerAnnotations(object.metadata.annotations, namespace);
  const problems: TriggerProblem[] = errors.map((message) => ({ reason: 'InvalidTrigger', message }));
  const waiting: TriggerProblem[] = [];
  const images: ImageFields = new Map();
  const podSpec = podSpecOf(object, kind);
  for (const trigger of triggers) {
    if (trigger.paused) continue;
    const selector = parseFieldPath(trigger.fieldPath, kind);
    if (typeof selector === 'string') {
      problems.push({ reason: 'InvalidTrigger', message: selector });
      continue;
    }
    const containers = containersOf(podSpec, selector.list);
    const container = 'name' in selector ? containers.find((c) => c.name === selector.name) : containers[selector.index];
    if (!container?.name) {
      problems.push({ reason: 'ContainerNotFound', message: `fieldPath '${trigger.fieldPath}' names no container of this ${kind.kind}` });
      continue;
    }
    const resolved = resolveTag(lookup, object.metadata.namespace ?? '', trigger.namespace, trigger.stream, trigger.tag);
    if (resolved.ok) images.set(fieldKey(selector.list, container.name), resolved.image);
    else if (resolved.reason === 'NoImage') waiting.push({ reason: 'WaitingForImage', message: `container '${container.name}' waits for ${resolved.message.replace(/^(\S+) has no image yet/, '$1, which has no image yet')}` });
    else problems.push({ reason: resolved.reason, message: resolved.message });
  }
  return { images, problems, waiting };
}
