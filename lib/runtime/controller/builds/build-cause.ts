import {
  BUILD_CAUSE_ANNOTATION, BUILD_COMMIT_ANNOTATION, GIT_POLL_CAUSE, WEBHOOK_CAUSE,
  type BuildCause, type BuildCauseAnnotation, type BuildImageReference,
} from '../../../api/buildconfig';

/** Why a run started: ImageChange, ConfigChange, Manual, or the webhook type (GitHub, …, or Webhook). */
export const CAUSE_ANNOTATION = BUILD_CAUSE_ANNOTATION;
/** ImageChange: the base by digest (what BASE_IMAGE was). */
export const CAUSE_IMAGE_ANNOTATION = 'imagestreams.dev/cause-image';
/** ImageChange: the trigger's tag, `namespace/stream:tag`. */
export const CAUSE_FROM_ANNOTATION = 'imagestreams.dev/cause-from';
/** ConfigChange: the BuildConfig generation built. */
export const CAUSE_GENERATION_ANNOTATION = 'imagestreams.dev/cause-generation';
/** Webhook, GitPoll or Manual: the commit built (as the webhook listener, the poller and start-build write it). */
export const CAUSE_REVISION_ANNOTATION = BUILD_COMMIT_ANNOTATION;

/** Causes of runs that others create; the webhook types as OpenShift names them count too. */
const EXTERNAL = new Set<string>(['GitHub', 'GitLab', 'Bitbucket', 'Generic', WEBHOOK_CAUSE, GIT_POLL_CAUSE]);

/** A cause as read back from a run: besides BuildCause, the Webhook and GitPoll causes of others' runs. */
export type RunCause = BuildCause | { readonly type: BuildCauseAnnotation; readonly revision?: string };

/** `namespace/stream:tag` of a stream tag reference, relative to the BuildConfig's namespace. */
export function tagKey(ref: BuildImageReference, namespace: string): string {
  return `${ref.namespace || namespace}/${ref.name}`;
}

export function causeAnnotations(cause: BuildCause, namespace: string): Record<string, string> {
  switch (cause.type) {
    case 'ImageChange':
      return { [CAUSE_ANNOTATION]: cause.type, [CAUSE_IMAGE_ANNOTATION]: cause.image, [CAUSE_FROM_ANNOTATION]: tagKey(cause.from, namespace) };
    case 'ConfigChange':
      return { [CAUSE_ANNOTATION]: cause.type, [CAUSE_GENERATION_ANNOTATION]: String(cause.generation) };
    case 'Manual':
      return { [CAUSE_ANNOTATION]: cause.type };
    default:
      return { [CAUSE_ANNOTATION]: cause.type, ...(cause.revision ? { [CAUSE_REVISION_ANNOTATION]: cause.revision } : {}) };
  }
}

/** What a run's annotations say started it; runs without a cause (or an unknown one) count as Manual. */
export function parseCause(annotations: Record<string, string> | undefined): RunCause & { fromKey?: string } {
  const a = annotations ?? {};
  const type = a[CAUSE_ANNOTATION];
  if (type === 'ImageChange' && a[CAUSE_IMAGE_ANNOTATION] && a[CAUSE_FROM_ANNOTATION]) {
    const fromKey = a[CAUSE_FROM_ANNOTATION];
    const [namespace, name] = fromKey.split('/', 2);
    return { type, image: a[CAUSE_IMAGE_ANNOTATION], from: { kind: 'ImageStreamTag', name, namespace }, fromKey };
  }
  if (type === 'ConfigChange' && /^\d+$/.test(a[CAUSE_GENERATION_ANNOTATION] ?? '')) {
    return { type, generation: Number(a[CAUSE_GENERATION_ANNOTATION]) };
  }
  if (type !== undefined && EXTERNAL.has(type)) return { type, revision: a[CAUSE_REVISION_ANNOTATION] } as RunCause;
  return { type: 'Manual', user: a['imagestreams.dev/requested-by'] };
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
  if (cause.type === 'Manual') return 'Manual';
  return 'revision' in cause && cause.revision ? `${cause.type} (commit ${cause.revision})` : cause.type;
}
