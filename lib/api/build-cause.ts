import {
  CAUSE_ANNOTATION, CAUSE_FROM_ANNOTATION, CAUSE_GENERATION_ANNOTATION, CAUSE_IMAGE_ANNOTATION, COMMIT_ANNOTATION, REQUESTED_BY_ANNOTATION,
} from './labels';
import type { BuildCause, BuildImageReference } from './buildconfig';
import { formatStreamTag, referencedTag, streamTagKey, tryParseStreamTag } from './stream-tag';

/** The causes of runs that others create: a webhook delivery (any git host) or the git poller. */
export type ExternalCause = 'Webhook' | 'GitPoll';
export const WEBHOOK_CAUSE: ExternalCause = 'Webhook';
export const GIT_POLL_CAUSE: ExternalCause = 'GitPoll';

/** Causes of runs that others create; the webhook types as OpenShift names them count too. */
const EXTERNAL = new Set<string>(['GitHub', 'GitLab', 'Bitbucket', 'Generic', WEBHOOK_CAUSE, GIT_POLL_CAUSE]);

/** A cause as read back from a run: besides BuildCause, the Webhook and GitPoll causes of others' runs. */
export type RunCause = BuildCause | { readonly type: ExternalCause; readonly revision?: string };

/** `namespace/stream:tag` of a stream tag reference, relative to the BuildConfig's namespace. */
export function tagKey(ref: BuildImageReference, namespace: string): string {
  return streamTagKey(referencedTag(ref, namespace));
}

/** The reference a `namespace/stream:tag` key stands for, or undefined when it is not one. */
export function tagOfKey(key: string): BuildImageReference | undefined {
  const ref = tryParseStreamTag(key);
  return ref?.namespace ? { kind: 'ImageStreamTag', name: formatStreamTag({ stream: ref.stream, tag: ref.tag }), namespace: ref.namespace } : undefined;
}

export function causeAnnotations(cause: RunCause, namespace: string): Record<string, string> {
  switch (cause.type) {
    case 'ImageChange':
      return { [CAUSE_ANNOTATION]: cause.type, [CAUSE_IMAGE_ANNOTATION]: cause.image, [CAUSE_FROM_ANNOTATION]: tagKey(cause.from, namespace) };
    case 'ConfigChange':
      return { [CAUSE_ANNOTATION]: cause.type, [CAUSE_GENERATION_ANNOTATION]: String(cause.generation) };
    default:
      return { [CAUSE_ANNOTATION]: cause.type, ...(cause.revision ? { [COMMIT_ANNOTATION]: cause.revision } : {}) };
  }
}

/** What a run's annotations say started it; runs without a cause (or an unknown one) count as Manual. */
export function parseCause(annotations: Record<string, string> | undefined): RunCause & { fromKey?: string } {
  const a = annotations ?? {};
  const type = a[CAUSE_ANNOTATION];
  const from = type === 'ImageChange' && a[CAUSE_IMAGE_ANNOTATION] ? tagOfKey(a[CAUSE_FROM_ANNOTATION] ?? '') : undefined;
  if (type === 'ImageChange' && from) return { type, image: a[CAUSE_IMAGE_ANNOTATION], from, fromKey: a[CAUSE_FROM_ANNOTATION] };
  if (type === 'ConfigChange' && /^\d+$/.test(a[CAUSE_GENERATION_ANNOTATION] ?? '')) {
    return { type, generation: Number(a[CAUSE_GENERATION_ANNOTATION]) };
  }
  if (type !== undefined && EXTERNAL.has(type)) return { type, revision: a[COMMIT_ANNOTATION] } as RunCause;
  return { type: 'Manual', user: a[REQUESTED_BY_ANNOTATION], ...(a[COMMIT_ANNOTATION] ? { revision: a[COMMIT_ANNOTATION] } : {}) };
}

/**
 * The stream tag and digest a run was built from, when its BASE_IMAGE came from a stream tag:
 * written on every such run (ConfigChange ones too), so that a restart knows what was built.
 */
export function triggeredImage(annotations: Record<string, string> | undefined): { fromKey: string; image: string } | undefined {
  const fromKey = annotations?.[CAUSE_FROM_ANNOTATION];
  const image = annotations?.[CAUSE_IMAGE_ANNOTATION];
  return fromKey && image ? { fromKey, image } : undefined;
}

export function imageAnnotations(fromKey: string, image: string): Record<string, string> {
  return { [CAUSE_FROM_ANNOTATION]: fromKey, [CAUSE_IMAGE_ANNOTATION]: image };
}

/** One line for logs and Events: `ImageChange (ns/base:latest → repo@sha256:…)`. */
export function describeCause(cause: RunCause, namespace: string): string {
  if (cause.type === 'ImageChange') return `ImageChange (${tagKey(cause.from, namespace)} → ${cause.image})`;
  if (cause.type === 'ConfigChange') return `ConfigChange (generation ${cause.generation})`;
  return 'revision' in cause && cause.revision ? `${cause.type} (commit ${cause.revision})` : cause.type;
}
