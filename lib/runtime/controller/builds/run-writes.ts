import type { ResourceClient } from '../../kube/client';
import { ConflictError, NotFoundError } from '../../kube/errors';
import { BASE_IMAGE_PARAM } from '../../../api/buildconfig';
import { imageAnnotations } from '../../../api/build-cause';
import { BUILD_NUMBER_LABEL, CAUSE_ANNOTATION } from '../../../api/build-labels';
import { CANCELLED, PENDING, type PipelineRun } from '../../../api/pipeline-run';

/*
 * Writes to runs. Each carries the resourceVersion it was decided on, so that a decision made on a
 * stale view fails with 409 and is made again (the reconcile retries) instead of overwriting.
 */

/**
 * Gives a run created by others (webhook, git poll, start-build) its build number; one without a
 * cause is Manual. Such runs come without BASE_IMAGE: while one is still pending, the base's
 * current digest is set (and recorded like an image change's), so it builds FROM the stream too.
 */
export function numberRun(runs: ResourceClient<PipelineRun>, run: PipelineRun, n: number, base?: { key: string; image: string }): Promise<PipelineRun> {
  const annotations: Record<string, string> = run.metadata.annotations?.[CAUSE_ANNOTATION] ? {} : { [CAUSE_ANNOTATION]: 'Manual' };
  const params = run.spec.params ?? [];
  const setBase = base && run.spec.status === PENDING && !params.some((p) => p.name === BASE_IMAGE_PARAM);
  if (setBase) Object.assign(annotations, imageAnnotations(base.key, base.image));
  return runs.mergePatch(run.metadata.name!, {
    metadata: { resourceVersion: run.metadata.resourceVersion, labels: { [BUILD_NUMBER_LABEL]: String(n) }, annotations },
    ...(setBase ? { spec: { params: [...params, { name: BASE_IMAGE_PARAM, value: base.image }] } } : {}),
  });
}

/** Starts a pending run: Tekton runs it once spec.status is gone. */
export function admitRun(runs: ResourceClient<PipelineRun>, run: PipelineRun): Promise<PipelineRun> {
  return runs.mergePatch(run.metadata.name!, { metadata: { resourceVersion: run.metadata.resourceVersion }, spec: { status: null } });
}

export function cancelRun(runs: ResourceClient<PipelineRun>, run: PipelineRun): Promise<PipelineRun> {
  return runs.mergePatch(run.metadata.name!, { metadata: { resourceVersion: run.metadata.resourceVersion }, spec: { status: CANCELLED } });
}

/** Deletes exactly this run; one already gone (or replaced) is fine. */
export async function deleteRun(runs: ResourceClient<PipelineRun>, run: PipelineRun): Promise<void> {
  try {
    await runs.delete(run.metadata.name!, { preconditions: { uid: run.metadata.uid } });
  } catch (error) {
    if (!(error instanceof NotFoundError) && !(error instanceof ConflictError)) throw error;
  }
}
