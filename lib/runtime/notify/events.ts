import { createHash } from 'node:crypto';
import type { ImageStreamObject } from '../../api/imagestream';
import { BUILD_NUMBER_LABEL, BUILDCONFIG_LABEL, COMMIT_ANNOTATION } from '../../api/labels';
import type { NotificationEventType, NotificationSource } from '../../api/notifier';
import { runPhase, runResult, succeededCondition, type PipelineRun } from '../../api/pipeline-run';
import { parseTriggerAnnotations } from '../../api/trigger-annotation';
import type { WorkloadKind } from '../../api/workload-kinds';
import type { KubeObject } from '../kube/types';

/** Something that happened, as every notifier format renders it. */
export interface NotificationEvent {
  /** Stable for the same happening (a redelivery of the same change has the same id). */
  readonly id: string;
  readonly type: NotificationEventType;
  readonly namespace: string;
  readonly source: NotificationSource;
  /** RFC 3339. */
  readonly time: string;
  /** One line for people. */
  readonly message: string;
  /** The facts, for machines (digests, tags, build numbers, workload names). */
  readonly data: Readonly<Record<string, string | number | undefined>>;
}

const eventId = (...parts: readonly (string | number | undefined)[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * A new newest image of an imported tag (its spec imports a DockerImage) between two versions of a
 * stream: however it was imported (the CronJob, a push event, the controller, the CLI). Tags that
 * builds write are told of by BuildSucceeded; the first sight of a stream tells nothing.
 */
export function imageEvents(old: ImageStreamObject | undefined, next: ImageStreamObject): NotificationEvent[] {
  if (!old) return [];
  const namespace = next.metadata.namespace ?? '';
  const before = new Map((old.status?.tags ?? []).map((t) => [t.tag, t.items?.[0]]));
  const events: NotificationEvent[] = [];
  for (const spec of next.spec.tags ?? []) {
    if (spec.from?.kind !== 'DockerImage') continue;
    const status = next.status?.tags?.find((t) => t.tag === spec.name);
    const newest = status?.items?.[0];
    const previous = before.get(spec.name);
    if (!newest || (previous?.image === newest.image && previous.dockerImageReference === newest.dockerImageReference)) continue;
    const name = `${namespace}/${next.metadata.name}:${spec.name}`;
    events.push({
      id: eventId('ImageImported', name, newest.image, newest.created),
      type: 'ImageImported', namespace, source: { kind: 'ImageStream', name: next.metadata.name }, time: newest.created ?? now(),
      message: `${name} now points at ${newest.image}${status?.policy ? ` (tag ${status.policy.tag}, chosen by its policy)` : ''}${previous ? `, was ${previous.image}` : ''}`,
      data: {
        stream: next.metadata.name, tag: spec.name, image: newest.image, dockerImageReference: newest.dockerImageReference,
        from: spec.from.name, previousImage: previous?.image, chosenTag: status?.policy?.tag,
      },
    });
  }
  return events;
}

/** A build's run starting (admitted, not pending), succeeding or failing between two versions of its PipelineRun. */
export function buildEvents(old: PipelineRun | undefined, next: PipelineRun): NotificationEvent[] {
  const buildConfig = next.metadata.labels?.[BUILDCONFIG_LABEL];
  const number = next.metadata.labels?.[BUILD_NUMBER_LABEL];
  if (!buildConfig || !number || !old) return [];
  const namespace = next.metadata.namespace ?? '';
  const [was, is] = [runPhase(old), runPhase(next)];
  const started = was === 'pending' && is !== 'pending';
  const ended = (was === 'pending' || was === 'running') && (is === 'succeeded' || is === 'failed');
  const build = `${namespace}/${buildConfig}-${number}`;
  const data = { buildConfig, build: Number(number), run: next.metadata.name, commit: next.metadata.annotations?.[COMMIT_ANNOTATION] };
  const event = (type: NotificationEventType, message: string, extra: Record<string, string | undefined> = {}): NotificationEvent => ({
    id: eventId(type, namespace, next.metadata.name, next.metadata.uid), type, namespace, source: { kind: 'BuildConfig', name: buildConfig },
    time: now(), message, data: { ...data, ...extra },
  });
  const events: NotificationEvent[] = [];
  if (started) events.push(event('BuildStarted', `build ${build} started`));
  if (ended && is === 'succeeded') {
    const image = runResult(next, 'IMAGE_DIGEST');
    events.push(event('BuildSucceeded', `build ${build} succeeded${image ? `: ${image}` : ''}`, { image, imageUrl: runResult(next, 'IMAGE_URL') }));
  }
  if (ended && is === 'failed') {
    const condition = succeededCondition(next);
    events.push(event('BuildFailed', `build ${build} failed${condition?.reason ? ` (${condition.reason})` : ''}${condition?.message ? `: ${condition.message}` : ''}`, { reason: condition?.reason, detail: condition?.message }));
  }
  return events;
}

interface Container {
  readonly name: string;
  readonly image?: string;
}

/**
 * A workload that follows stream tags whose container image changed to an image by digest between
 * two versions: the controller set it (or someone did): a rollout to that image begins.
 */
export function rolloutEvents(kind: WorkloadKind, old: KubeObject | undefined, next: KubeObject): NotificationEvent[] {
  if (!old) return [];
  const namespace = next.metadata.namespace ?? '';
  const { triggers } = parseTriggerAnnotations(next.metadata.annotations as Record<string, string> | undefined, namespace);
  if (triggers.length === 0) return [];
  const before = new Map(containers(kind, old).map((c) => [c.name, c.image]));
  const events: NotificationEvent[] = [];
  for (const container of containers(kind, next)) {
    const previous = before.get(container.name);
    if (!container.image || container.image === previous || !container.image.includes('@sha256:')) continue;
    const trigger = triggers.find((t) => t.fieldPath.includes(`"${container.name}"`)) ?? triggers[0];
    const workload = `${kind.kind} ${namespace}/${next.metadata.name}`;
    events.push({
      id: eventId('RolledOut', kind.kind, namespace, next.metadata.name, container.name, container.image),
      type: 'RolledOut', namespace, source: { kind: 'ImageStream', name: trigger.stream }, time: now(),
      message: `${workload}: container '${container.name}' rolls out ${container.image} (${trigger.namespace}/${trigger.stream}:${trigger.tag})`,
      data: { workloadKind: kind.kind, workload: next.metadata.name, container: container.name, image: container.image, previousImage: previous, stream: trigger.stream, tag: trigger.tag, streamNamespace: trigger.namespace },
    });
  }
  return events;
}

function containers(kind: WorkloadKind, object: KubeObject): Container[] {
  let spec: unknown = object;
  for (const key of kind.podSpecPath) spec = (spec as Record<string, unknown> | undefined)?.[key];
  const pod = spec as { containers?: Container[]; initContainers?: Container[] } | undefined;
  return [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])].filter((c) => typeof c?.name === 'string');
}
