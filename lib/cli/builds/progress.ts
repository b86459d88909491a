import { BUILD_NUMBER_LABEL } from '../../api/labels';
import { PENDING } from '../../api/pipeline-run';
import { PIPELINE_TASK_LABEL, stepStateText, succeeded, type FollowedRun, type TaskRun } from './tekton-status';

/** A step container whose logs can be read now. */
export interface StepLogRef {
  readonly pod: string;
  readonly container: string;
  /** `task/step`, the prefix of its lines. */
  readonly label: string;
}

/**
 * Turns the successive states of a PipelineRun and its TaskRuns into lines saying what changed:
 * numbered, admitted, each task and step as Tekton reports it, the end. Pure; the caller prints.
 */
export class BuildProgress {
  private number?: string;
  private pending = true;
  private runReason?: string;
  private readonly taskNames = new Map<string, string>();
  private readonly seen = new Map<string, string>();

  constructor(private readonly buildConfig: string, private runName: string) {}

  /** The controller made the followed request into this build: follow it from here. */
  followBuild(runName: string): void {
    this.runName = runName;
  }

  /** `foo #3` once numbered, else the run's name. */
  get build(): string {
    return this.number ? `${this.buildConfig} #${this.number}` : this.runName;
  }

  run(run: FollowedRun): string[] {
    const lines: string[] = [];
    const number = run.metadata.labels?.[BUILD_NUMBER_LABEL];
    if (number && number !== this.number) this.number = number, lines.push(`numbered: build ${this.build} (${this.runName})`);
    // Admitted: spec.status removed. A pending run that is cancelled (spec.status Cancelled) never starts.
    if (this.pending && !run.spec.status) this.pending = false, lines.push(`admitted: build ${this.build} starts`);
    for (const child of run.status?.childReferences ?? []) {
      if (child.pipelineTaskName) this.taskNames.set(child.name, child.pipelineTaskName);
    }
    const condition = succeeded(run);
    if (condition?.status === 'Unknown' && condition.reason && condition.reason !== this.runReason && condition.reason !== PENDING) {
      this.runReason = condition.reason;
      lines.push(`build ${this.build}: ${condition.reason}${condition.message ? ` (${condition.message})` : ''}`);
    }
    return lines;
  }

  /** The lines for a TaskRun's new state, and the steps whose logs became readable. */
  taskRun(taskRun: TaskRun): { lines: string[]; logs: StepLogRef[] } {
    const task = taskRun.metadata.labels?.[PIPELINE_TASK_LABEL] ?? this.taskNames.get(taskRun.metadata.name ?? '') ?? taskRun.metadata.name ?? '?';
    const lines: string[] = [];
    const logs: StepLogRef[] = [];
    if (this.change(`task ${task}`, 'started')) lines.push(`task ${task}: started (TaskRun ${taskRun.metadata.name})`);
    for (const step of taskRun.status?.steps ?? []) {
      const state = stepStateText(step);
      const key = `step ${task}/${step.name}`;
      const before = this.seen.get(key);
      if (!state || !this.change(key, state)) continue;
      lines.push(`task ${task}, step ${step.name}: ${state}`);
      const readable = (step.running || step.terminated) && (before === undefined || before.startsWith('waiting'));
      if (readable && taskRun.status?.podName) logs.push({ pod: taskRun.status.podName, container: step.container ?? `step-${step.name}`, label: `${task}/${step.name}` });
    }
    const condition = succeeded(taskRun);
    if (condition && condition.status !== 'Unknown' && this.change(`task ${task}`, condition.status)) {
      lines.push(`task ${task}: ${condition.reason ?? (condition.status === 'True' ? 'Succeeded' : 'Failed')}${condition.status === 'False' && condition.message ? ` (${condition.message})` : ''}`);
    }
    return { lines, logs };
  }

  /** 0 when the run succeeded, 1 when it failed or was cancelled, undefined while it goes on. */
  outcome(run: FollowedRun): { code: number; line: string } | undefined {
    const condition = succeeded(run);
    if (!condition || condition.status === 'Unknown') return undefined;
    if (condition.status === 'True') return { code: 0, line: `build ${this.build} succeeded` };
    const detail = `${condition.reason ?? 'Failed'}${condition.message ? `: ${condition.message}` : ''}`;
    if (condition.reason?.includes('Cancelled')) return { code: 1, line: `build ${this.build} cancelled (${detail})` };
    return { code: 1, line: `build ${this.build} failed (${detail})` };
  }

  /** Records `value` under `key`; true when it differs from what was there. */
  private change(key: string, value: string): boolean {
    if (this.seen.get(key) === value) return false;
    if (key.startsWith('task ') && value === 'started' && this.seen.has(key)) return false;
    this.seen.set(key, value);
    return true;
  }
}
