import type { PipelineRun, RunCondition } from '../../api/pipeline-run';
import type { KubeObject } from '../../runtime/kube/types';

/** A step's state as Tekton reports it in TaskRun status.steps (the container's state). */
export interface StepState {
  readonly name: string;
  /** The step's container, `step-<name>`. */
  readonly container?: string;
  readonly waiting?: { readonly reason?: string };
  readonly running?: { readonly startedAt?: string };
  readonly terminated?: { readonly exitCode?: number; readonly reason?: string; readonly message?: string };
}

export interface TaskRun extends KubeObject {
  status?: {
    podName?: string;
    conditions?: RunCondition[];
    steps?: StepState[];
  };
}

/** PipelineRun status as Tekton v1 writes it, with the TaskRuns it started. */
export type FollowedRun = PipelineRun & {
  status?: NonNullable<PipelineRun['status']> & {
    childReferences?: { kind?: string; name: string; pipelineTaskName?: string }[];
  };
};

/** Tekton's labels on the TaskRuns of a PipelineRun. */
export const PIPELINE_RUN_LABEL = 'tekton.dev/pipelineRun';
export const PIPELINE_TASK_LABEL = 'tekton.dev/pipelineTask';

export function succeeded(object: { status?: { conditions?: RunCondition[] } }): RunCondition | undefined {
  return object.status?.conditions?.find((c) => c.type === 'Succeeded');
}

/** 'running', 'waiting (PodInitializing)', 'succeeded', 'failed (exit 1: Error)'. */
export function stepStateText(step: StepState): string | undefined {
  const t = step.terminated;
  if (t) return t.exitCode === 0 ? 'succeeded' : `failed (exit ${t.exitCode ?? '?'}${t.reason ? `: ${t.reason}` : ''})`;
  if (step.running) return 'running';
  if (step.waiting) return `waiting${step.waiting.reason ? ` (${step.waiting.reason})` : ''}`;
  return undefined;
}
