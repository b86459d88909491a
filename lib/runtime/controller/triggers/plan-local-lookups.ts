import type { KubeObject } from '../../kube/types';
import { containersOf, fieldKey, podSpecOf, type ImageFields } from './apply-config';
import { parseFieldPath, type ContainerList } from '../../../api/field-path';
import { definesTag, hasLocalLookup, parseLocalLookups, shortName, type LocalLookupEntry } from '../../../api/local-lookup';
import { formatStreamTag, parseStreamTag } from '../../../api/stream-tag';
import { parseTriggerAnnotations } from '../../../api/trigger-annotation';
import type { WorkloadKind } from '../../../api/workload-kinds';
import { resolveTag, type StreamLookup } from './resolve-tag';
import type { TriggerProblem } from './plan-images';

export interface LocalLookupPlan {
  /** What each container resolved by local lookup should be (`containers/web` → `repo@sha256:…`). */
  readonly images: ImageFields;
  /** The record the annotation should hold: the containers that follow a tag by local lookup. */
  readonly lookups: Readonly<Record<string, LocalLookupEntry>>;
  readonly problems: readonly TriggerProblem[];
  readonly waiting: readonly TriggerProblem[];
}

/**
 * OpenShift's local lookup for a workload applied as YAML (see lib/api/local-lookup.ts): each
 * container whose image is the short name of a tag of a stream of the workload's namespace with
 * `lookupPolicy.local` gets the tag's image, and keeps following the tag while its image is the one
 * set here (the record in the annotation says which). A container a trigger follows is the
 * trigger's; a short name of no such stream is left alone (it is a registry's image, `nginx:1.27`);
 * one of a local stream that has no such tag is reported, as the constructs report it at synth time.
 */
export function planLocalLookups(object: KubeObject, kind: WorkloadKind, lookup: StreamLookup): LocalLookupPlan {
  const namespace = object.metadata.namespace ?? 'default';
  const recorded = parseLocalLookups(object.metadata.annotations);
  const followed = triggerFields(object, kind, namespace);
  const images: ImageFields = new Map();
  const lookups: Record<string, LocalLookupEntry> = {};
  const problems: TriggerProblem[] = [];
  const waiting: TriggerProblem[] = [];
  const podSpec = podSpecOf(object, kind);
  for (const list of ['containers', 'initContainers'] as ContainerList[]) {
    containersOf(podSpec, list).forEach((container, index) => {
      if (!container.name || followed.has(fieldKey(list, container.name)) || followed.has(`${list}#${index}`)) return;
      const field = fieldKey(list, container.name);
      const short = shortName(container.image);
      const previous = recorded[field];
      const tag = short ?? (previous && previous.image === container.image ? tryParse(previous.tag) : undefined);
      if (!tag) return;
      const stream = lookup(namespace, tag.stream);
      if (!hasLocalLookup(stream)) return;
      if (!definesTag(stream!, tag.tag)) {
        problems.push({ reason: 'TagNotFound', message: `container '${container.name}' names '${container.image}', but ImageStream '${namespace}/${tag.stream}' (lookupPolicy local) has no tag '${tag.tag}': define it, or write the image in full` });
        return;
      }
      const resolved = resolveTag(lookup, namespace, namespace, tag.stream, tag.tag);
      const name = formatStreamTag(tag);
      if (resolved.ok) {
        images.set(field, resolved.image);
        lookups[field] = { tag: name, image: resolved.image };
      } else if (resolved.reason === 'NoImage') {
        waiting.push({ reason: 'WaitingForImage', message: `container '${container.name}' (${name} by local lookup) waits for ${resolved.message.replace(/^(\S+) has no image yet/, '$1, which has no image yet')}` });
        if (previous) lookups[field] = previous;
      } else {
        problems.push({ reason: resolved.reason, message: resolved.message });
        if (previous) lookups[field] = previous;
      }
    });
  }
  return { images, lookups, problems, waiting };
}

/** The fields the workload's triggers (paused ones too) hold: `containers/web`, `containers#0`. */
function triggerFields(object: KubeObject, kind: WorkloadKind, namespace: string): Set<string> {
  const fields = new Set<string>();
  for (const trigger of parseTriggerAnnotations(object.metadata.annotations, namespace).triggers) {
    const selector = parseFieldPath(trigger.fieldPath, kind);
    if (typeof selector !== 'string') fields.add('name' in selector ? fieldKey(selector.list, selector.name) : `${selector.list}#${selector.index}`);
  }
  return fields;
}

function tryParse(text: string): { stream: string; tag: string } | undefined {
  try {
    const { stream, tag } = parseStreamTag(text);
    return { stream, tag };
  } catch {
    return undefined;
  }
}
