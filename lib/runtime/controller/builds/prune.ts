import { DEFAULT_FAILED_BUILDS_HISTORY_LIMIT, DEFAULT_SUCCESSFUL_BUILDS_HISTORY_LIMIT, type BuildConfigSpec } from '../../../api/buildconfig';
import { COMPLETION_ANNOTATION } from '../../../api/labels';
import { runPhase, type PipelineRun } from '../../../api/pipeline-run';

/**
 * Finished runs beyond the history limits, oldest first: successful and failed ones counted
 * separately, as OpenShift does. Runs whose outcome is not recorded yet are kept until it is.
 */
export function runsToPrune(spec: Pick<BuildConfigSpec, 'successfulBuildsHistoryLimit' | 'failedBuildsHistoryLimit'>, runs: readonly { run: PipelineRun; n: number }[]): PipelineRun[] {
  const limits = {
    succeeded: spec.successfulBuildsHistoryLimit ?? DEFAULT_SUCCESSFUL_BUILDS_HISTORY_LIMIT,
    failed: spec.failedBuildsHistoryLimit ?? DEFAULT_FAILED_BUILDS_HISTORY_LIMIT,
  };
  const prune: PipelineRun[] = [];
  for (const phase of ['succeeded', 'failed'] as const) {
    const finished = runs.filter((r) => runPhase(r.run) === phase && r.run.metadata.annotations?.[COMPLETION_ANNOTATION]);
    prune.push(...finished.slice(0, Math.max(0, finished.length - limits[phase])).map((r) => r.run));
  }
  return prune;
}
