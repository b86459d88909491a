import type { BuildPodTemplate, BuildWorkspaceBinding } from './buildconfig';
import type { PipelineSpec } from './tekton';
import type { KubeObject } from './kube-object';

/** Tekton's spec.status values: a pending run waits for admission; a cancelled one stops. */
export const PENDING = 'PipelineRunPending';
export const CANCELLED = 'Cancelled';

export interface RunParam {
  readonly name: string;
  readonly value: string | readonly string[];
}

export interface RunCondition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason?: string;
  readonly message?: string;
}

/** A tekton.dev/v1 PipelineRun, as much of it as the controller writes and reads. */
export interface PipelineRun extends KubeObject {
  spec: {
    pipelineRef?: { name: string };
    /** The Pipeline embedded: the runs of a BuildConfig that names none. */
    pipelineSpec?: PipelineSpec;
    params?: RunParam[];
    status?: string;
    timeouts?: { pipeline?: string };
    taskRunTemplate?: { serviceAccountName?: string; podTemplate?: BuildPodTemplate };
    workspaces?: BuildWorkspaceBinding[];
  };
  status?: {
    conditions?: RunCondition[];
    results?: { name: string; value: string }[];
    startTime?: string;
    completionTime?: string;
  };
}

/** Where a run is: waiting for admission, running (or about to), or finished one way or the other. */
export type RunPhase = 'pending' | 'running' | 'succeeded' | 'failed';

export function runPhase(run: PipelineRun): RunPhase {
  const succeeded = run.status?.conditions?.find((c) => c.type === 'Succeeded');
  if (succeeded?.status === 'True') return 'succeeded';
  if (succeeded?.status === 'False') return 'failed';
  // Cancelled before it started: Tekton will mark it failed; it holds no slot meanwhile.
  if (run.spec.status?.startsWith(CANCELLED)) return 'failed';
  return run.spec.status === PENDING ? 'pending' : 'running';
}

export function succeededCondition(run: PipelineRun): RunCondition | undefined {
  return run.status?.conditions?.find((c) => c.type === 'Succeeded');
}

/** A pipeline result (status.results[]), trimmed: Tekton keeps what the step wrote, newline and all. */
export function runResult(run: PipelineRun, name: string): string | undefined {
  return run.status?.results?.find((r) => r.name === name)?.value?.trim();
}
