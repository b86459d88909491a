import { CANCELLED, succeededCondition, type PipelineRun } from '../../api/pipeline-run';
import type { ResourceClient } from '../../runtime/kube/client';
import { ConflictError } from '../../runtime/kube/errors';
import { BuildError } from './errors';

export type CancelReport = { readonly cancelled: PipelineRun } | { readonly alreadyCancelling: PipelineRun };

/**
 * Sets `spec.status: Cancelled`, Tekton's cancel: it stops the run's TaskRuns (their pods get the
 * usual termination grace period) and marks the run Failed with reason Cancelled. The patch names
 * the resourceVersion read, so a run that finished meanwhile is re-read and refused, not cancelled.
 */
export async function cancelRun(runs: ResourceClient<PipelineRun>, run: PipelineRun, describe: (run: PipelineRun) => string): Promise<CancelReport> {
  for (let current = run; ; current = await runs.get(run.metadata.name as string)) {
    const condition = succeededCondition(current);
    if (condition?.status === 'True' || condition?.status === 'False') {
      const reason = condition.reason ?? (condition.status === 'True' ? 'Succeeded' : 'Failed');
      throw new BuildError(`${describe(current)} has already finished (${reason}): nothing to cancel`);
    }
    if (current.spec.status?.startsWith(CANCELLED)) return { alreadyCancelling: current };
    try {
      const patch = { metadata: { resourceVersion: current.metadata.resourceVersion }, spec: { status: CANCELLED } };
      return { cancelled: await runs.mergePatch(current.metadata.name as string, patch) };
    } catch (e) {
      if (!(e instanceof ConflictError)) throw e;
    }
  }
}
