import { parseCause } from '../../api/build-cause';
import { BUILD_ANNOTATION, BUILDCONFIG_LABEL, buildNumber, COMMIT_ANNOTATION } from '../../api/labels';
import { runPhase, succeededCondition, type PipelineRun } from '../../api/pipeline-run';
import { age, span } from '../age';
import { formatTable } from '../table';

/** A build's status as `oc get builds` names them. */
export type BuildStatus = 'New' | 'Pending' | 'Running' | 'Complete' | 'Failed' | 'Cancelled';

/** New: a request the controller hasn't numbered; Pending: numbered, waiting for admission by run policy. */
export function buildStatus(run: PipelineRun): BuildStatus {
  if (buildNumber(run) === undefined) return 'New';
  const phase = runPhase(run);
  if (phase === 'pending') return 'Pending';
  if (phase === 'running') return 'Running';
  if (phase === 'succeeded') return 'Complete';
  const cancelled = run.spec.status?.startsWith('Cancelled') || succeededCondition(run)?.reason?.includes('Cancelled');
  return cancelled ? 'Cancelled' : 'Failed';
}

/**
 * `imagestreams get builds`, like `oc get builds`: one row per build (a PipelineRun of a BuildConfig),
 * by BuildConfig and number, then requests not made into builds yet; a request the controller made
 * into a build is that build, and not listed again. Pure.
 */
export function buildTable(runs: readonly PipelineRun[], now: number): string {
  const builds = runs
    .filter((r) => r.metadata.labels?.[BUILDCONFIG_LABEL] && !r.metadata.annotations?.[BUILD_ANNOTATION])
    .sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  if (builds.length === 0) return 'No builds found.\n';
  const rows = builds.map((run) => {
    const started = run.status?.startTime;
    const finished = run.status?.completionTime;
    const commit = run.metadata.annotations?.[COMMIT_ANNOTATION];
    return [
      run.metadata.name ?? '',
      run.metadata.labels![BUILDCONFIG_LABEL],
      buildStatus(run),
      parseCause(run.metadata.annotations).type,
      commit ? commit.slice(0, 7) : '',
      started ? age(started, now) : '',
      started && finished ? span(Date.parse(finished) - Date.parse(started)) : '',
    ];
  });
  return formatTable(['NAME', 'BUILDCONFIG', 'STATUS', 'CAUSE', 'REVISION', 'STARTED', 'DURATION'], rows);
}

/** BuildConfig, then numbered builds by number, then requests by name. */
function order(run: PipelineRun): string {
  const n = buildNumber(run);
  return `${run.metadata.labels?.[BUILDCONFIG_LABEL]}\u0000${n === undefined ? `~${run.metadata.name}` : String(n).padStart(10, '0')}`;
}
