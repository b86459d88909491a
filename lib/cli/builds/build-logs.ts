import { KubeApiError } from '../../runtime/kube/errors';
import { withQuery } from '../../runtime/kube/resources';
import type { Cluster } from '../cluster-session';
import { taskRuns } from './resources';
import { PIPELINE_RUN_LABEL, PIPELINE_TASK_LABEL, stepStateText, type TaskRun } from './tekton-status';

/**
 * Prints the logs a finished (or running) build has so far: every step of every TaskRun of the run,
 * in the order the tasks started, each line prefixed `[task/step]`. Where the cluster serves no pod
 * logs, it says so once and prints each step's state instead.
 */
export async function printBuildLogs(cluster: Cluster, runName: string, print: (line: string) => void): Promise<void> {
  const { items } = await taskRuns(cluster.kube, cluster.namespace).list({ labelSelector: `${PIPELINE_RUN_LABEL}=${runName}` });
  const ordered = (items as TaskRun[]).sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)));
  let unavailable: string | undefined;
  for (const taskRun of ordered) {
    const task = taskRun.metadata.labels?.[PIPELINE_TASK_LABEL] ?? taskRun.metadata.name ?? '?';
    for (const step of taskRun.status?.steps ?? []) {
      const label = `${task}/${step.name}`;
      const pod = taskRun.status?.podName;
      if (!pod || !(step.running || step.terminated)) {
        print(`[${label}] (${stepStateText(step) ?? 'not started'}: no log yet)`);
        continue;
      }
      if (unavailable === undefined) {
        try {
          const text = await readLog(cluster, pod, step.container ?? `step-${step.name}`);
          for (const line of text.replace(/\n$/, '').split('\n')) if (text) print(`[${label}] ${line}`);
          continue;
        } catch (e) {
          if (!(e instanceof KubeApiError)) throw e;
          unavailable = `${e.statusCode} ${e.status.message ?? e.reason ?? ''}`.trim();
          print(`logs: not available (${unavailable}); showing each step's state`);
        }
      }
      print(`[${label}] ${stepStateText(step)}`);
    }
  }
}

async function readLog(cluster: Cluster, pod: string, container: string): Promise<string> {
  const path = withQuery(`/api/v1/namespaces/${encodeURIComponent(cluster.namespace)}/pods/${encodeURIComponent(pod)}/log`, { container });
  const chunks: Buffer[] = [];
  for await (const chunk of await cluster.transport.stream({ method: 'GET', path })) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
