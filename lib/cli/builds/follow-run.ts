import { BUILD_ANNOTATION } from '../../api/labels';
import type { WatchEvent } from '../../runtime/kube/types';
import type { Cluster } from '../cluster-session';
import type { CliIO } from '../io';
import { BuildProgress } from './progress';
import { pipelineRuns, taskRuns } from './resources';
import { StepLogs } from './step-logs';
import { PIPELINE_RUN_LABEL, type FollowedRun, type TaskRun } from './tekton-status';

const LOG_GRACE_MS = 10_000;

/**
 * Watches the run and its TaskRuns, printing what changes (and the steps' logs where the cluster
 * serves them) until the run ends. A request (what start-build creates) is followed to the build the
 * controller makes of it. Resolves to the exit code: 0 succeeded, 1 failed or cancelled.
 */
export async function followRun(cluster: Cluster, run: FollowedRun, buildConfig: string, io: CliIO): Promise<number> {
  const print = (line: string) => io.stdout(`${line}\n`);
  const progress = new BuildProgress(buildConfig, run.metadata.name as string);
  for (let current = run; ;) {
    const next = await followOne(cluster, current, progress, print);
    if (typeof next === 'number') return next;
    current = await pipelineRuns(cluster.kube, cluster.namespace).get(next);
    progress.followBuild(next);
  }
}

/** Follows one run: its exit code when it ends, or the name of the build it was made into. */
async function followOne(cluster: Cluster, run: FollowedRun, progress: BuildProgress, print: (line: string) => void): Promise<number | string> {
  const { kube, transport, namespace } = cluster;
  const name = run.metadata.name as string;
  const stop = new AbortController();
  const stopLogs = new AbortController();
  const logs = new StepLogs(transport, namespace, print, stopLogs.signal);
  let result: number | string = 1;
  // Printed after the logs have settled, so that it is the last line.
  let last: string | undefined;
  const onRun = ({ type, object }: WatchEvent<FollowedRun>) => {
    if (type === 'BOOKMARK') return;
    if (type === 'DELETED') return (last = `build ${progress.build} was deleted`), stop.abort();
    const build = object.metadata.annotations?.[BUILD_ANNOTATION];
    if (build) return (result = build), stop.abort();
    progress.run(object).forEach(print);
    const end = progress.outcome(object);
    if (end) result = end.code, last = end.line, stop.abort();
  };
  const onTaskRun = ({ type, object }: WatchEvent<TaskRun>) => {
    if (type === 'BOOKMARK' || type === 'DELETED') return;
    const { lines, logs: readable } = progress.taskRun(object);
    lines.forEach(print);
    readable.forEach((step) => logs.follow(step));
  };
  onRun({ type: 'MODIFIED', object: run });
  if (stop.signal.aborted) {
    if (last) print(last);
    return result;
  }
  try {
    await Promise.all([
      pipelineRuns(kube, namespace).watch({ fieldSelector: `metadata.name=${name}`, resourceVersion: run.metadata.resourceVersion, signal: stop.signal }, onRun),
      taskRuns(kube, namespace).watch({ labelSelector: `${PIPELINE_RUN_LABEL}=${name}`, signal: stop.signal }, onTaskRun as (e: WatchEvent) => void),
    ]);
  } finally {
    stop.abort();
    // Log streams end when their containers exit; don't wait forever for a cluster that keeps one open.
    const grace = setTimeout(() => stopLogs.abort(), LOG_GRACE_MS);
    await logs.settle();
    clearTimeout(grace);
  }
  if (last) print(last);
  return result;
}
