import type { WatchEvent } from '../../runtime/kube/types';
import type { CliIO } from '../io';
import { BuildProgress } from './progress';
import { pipelineRuns, taskRuns } from './resources';
import type { Cluster } from '../cluster-session';
import { StepLogs } from './step-logs';
import { PIPELINE_RUN_LABEL, type FollowedRun, type TaskRun } from './tekton-status';

const LOG_GRACE_MS = 10_000;

/**
 * Watches the run and its TaskRuns, printing what changes (and the steps' logs where the cluster
 * serves them) until the run ends. Resolves to the exit code: 0 succeeded, 1 failed or cancelled.
 */
export async function followRun(cluster: Cluster, run: FollowedRun, buildConfig: string, io: CliIO): Promise<number> {
  const { kube, transport, namespace } = cluster;
  const name = run.metadata.name as string;
  const stop = new AbortController();
  const stopLogs = new AbortController();
  const print = (line: string) => io.stdout(`${line}\n`);
  const progress = new BuildProgress(buildConfig, name);
  const logs = new StepLogs(transport, namespace, print, stopLogs.signal);
  let code = 1;
  const onRun = ({ type, object }: WatchEvent<FollowedRun>) => {
    if (type === 'BOOKMARK') return;
    if (type === 'DELETED') return print(`build ${progress.build} was deleted`), stop.abort();
    progress.run(object).forEach(print);
    const end = progress.outcome(object);
    if (end) code = end.code, print(end.line), stop.abort();
  };
  const onTaskRun = ({ type, object }: WatchEvent<TaskRun>) => {
    if (type === 'BOOKMARK' || type === 'DELETED') return;
    const { lines, logs: readable } = progress.taskRun(object);
    lines.forEach(print);
    readable.forEach((step) => logs.follow(step));
  };
  progress.run(run).forEach(print);
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
  return code;
}
