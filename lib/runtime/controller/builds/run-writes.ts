import type { ResourceClient } from '../../kube/client';
import { ConflictError, NotFoundError } from '../../kube/errors';
import { CANCELLED, type PipelineRun } from '../../../api/pipeline-run';

/*
 * Writes to runs. Each carries the resourceVersion it was decided on, so that a decision made on a
 * stale view fails with 409 and is made again (the reconcile retries) instead of overwriting.
 */

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
