import type { ResourceClient } from '../../kube/client';
import { ConflictError, NotFoundError } from '../../kube/errors';
import { BUILD_NUMBER_LABEL, CAUSE_ANNOTATION } from '../../../api/build-labels';
import { CANCELLED, type PipelineRun } from '../../../api/pipeline-run';

/*
 * Writes to runs. Each carries the resourceVersion it was decided on, so that a decision made on a
 * stale view fails with 409 and is made again (the reconcile retries) instead of overwriting.
 */

/**
 * Gives a run that others started (not a pending request: see requests.ts) its build number, so
 * that it counts in the run policy and the history; one without a cause is Manual. Only metadata
 * is written: Tekton refuses changes to a run's spec.
 */
export function numberRun(runs: ResourceClient<PipelineRun>, run: PipelineRun, n: number): Promise<PipelineRun> {
  const annotations: Record<string, string> = run.metadata.annotations?.[CAUSE_ANNOTATION] ? {} : { [CAUSE_ANNOTATION]: 'Manual' };
  return runs.mergePatch(run.metadata.name!, {
    metadata: { resourceVersion: run.metadata.resourceVersion, labels: { [BUILD_NUMBER_LABEL]: String(n) }, annotations },
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
